package io.daskmpi.operator.slurm.http;

import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The HTTP transport to one slurmrestd: OkHttp over HTTP/1.1 with JWT headers. Turns I/O failures
 * into {@link SlurmException.Unavailable}; HTTP statuses are left to the caller.
 */
public final class SlurmHttp {
  private static final MediaType JSON = MediaType.get("application/json");

  private final HttpUrl base;
  private final String user;
  private final TokenFile token;
  private final OkHttpClient client;

  public SlurmHttp(SlurmEndpoint endpoint, OkHttpClient shared) {
    HttpUrl url = HttpUrl.get(endpoint.url());
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + endpoint.url());
    }
    this.base = url;
    this.user = endpoint.user();
    this.token = new TokenFile(endpoint.tokenFile());
    // slurmrestd answers an h2c upgrade with a malformed 405 (22.05) or 406: speak HTTP/1.1 only.
    this.client =
        shared
            .newBuilder()
            .protocols(List.of(Protocol.HTTP_1_1))
            .connectTimeout(endpoint.timeout())
            .readTimeout(endpoint.timeout())
            .writeTimeout(endpoint.timeout())
            .build();
  }

  public String baseUrl() {
    return base.toString();
  }

  public HttpReply get(String path, Map<String, String> query) {
    HttpUrl.Builder url = resolve(path);
    query.forEach(url::addQueryParameter);
    return execute(request(url.build()).get().build(), "GET", path);
  }

  public HttpReply post(String path, byte[] json) {
    return execute(
        request(resolve(path).build()).post(RequestBody.create(json, JSON)).build(), "POST", path);
  }

  public HttpReply delete(String path) {
    return execute(request(resolve(path).build()).delete().build(), "DELETE", path);
  }

  private HttpUrl.Builder resolve(String path) {
    HttpUrl.Builder url = base.newBuilder();
    for (String segment : path.split("/")) {
      if (!segment.isEmpty()) {
        url.addPathSegment(segment);
      }
    }
    if (path.endsWith("/")) {
      url.addPathSegment("");
    }
    return url;
  }

  private Request.Builder request(HttpUrl url) {
    // 22.05 requires both headers; later versions accept them too.
    return new Request.Builder()
        .url(url)
        .header("X-SLURM-USER-NAME", user)
        .header("X-SLURM-USER-TOKEN", token.token())
        .header("Accept", "application/json");
  }

  private HttpReply execute(Request request, String method, String path) {
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      String contentType = response.header("Content-Type", "");
      return new HttpReply(method, path, response.code(), contentType, bytes);
    } catch (InterruptedIOException e) {
      throw unavailable(method, path, "timed out", e);
    } catch (ConnectException e) {
      throw unavailable(method, path, "connection refused", e);
    } catch (UnknownHostException e) {
      throw unavailable(method, path, "unknown host " + base.host(), e);
    } catch (IOException e) {
      throw unavailable(method, path, e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private SlurmException unavailable(String method, String path, String what, IOException cause) {
    return new SlurmException.Unavailable(
        "cannot reach slurmrestd at " + base + " (" + method + " " + path + "): " + what,
        0,
        List.of(),
        cause);
  }
}
