package io.daskmpi.operator.slurm.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.daskmpi.operator.slurm.SlurmEndpoint;
import io.daskmpi.operator.slurm.SlurmException;
import io.daskmpi.operator.slurm.TokenSource;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
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
  private final Supplier<String> token;
  private final OkHttpClient client;
  private final HttpTraffic traffic;

  public SlurmHttp(SlurmEndpoint endpoint, OkHttpClient shared) {
    this(endpoint, shared, HttpTraffic.NONE);
  }

  public SlurmHttp(SlurmEndpoint endpoint, OkHttpClient shared, HttpTraffic traffic) {
    HttpUrl url = HttpUrl.get(endpoint.url());
    if (url == null) {
      throw new IllegalArgumentException("not an http(s) URL: " + endpoint.url());
    }
    this.base = url;
    this.user = endpoint.user();
    this.token = tokens(endpoint);
    this.traffic = traffic;
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

  private static Supplier<String> tokens(SlurmEndpoint endpoint) {
    TokenSource source = endpoint.token();
    if (source instanceof TokenSource.SigningKey key) {
      return new MintedToken(key.keyFile(), endpoint.user(), key.lifetime(), Clock.systemUTC());
    }
    return new TokenFile(((TokenSource.File) source).path());
  }

  public String baseUrl() {
    return base.toString();
  }

  public HttpReply get(String path, Map<String, String> query) {
    HttpUrl.Builder url = resolve(path);
    query.forEach(url::addQueryParameter);
    return execute(request(url.build()).get().build(), "GET", path);
  }

  /** A GET with one query parameter repeated, e.g. {@code ?job_id=1&job_id=2}. */
  public HttpReply get(String path, String name, List<String> values) {
    HttpUrl.Builder url = resolve(path);
    values.forEach(v -> url.addQueryParameter(name, v));
    return execute(request(url.build()).get().build(), "GET", path);
  }

  /**
   * A GET whose successful JSON answer is read as it arrives and never held whole: a cluster's job
   * listing is tens of MB.
   *
   * @param reader reads a 2xx JSON body
   * @param refused gives the result for any other answer (read whole: those are small), or throws
   * @throws SlurmException.Protocol when the body is not the JSON the reader expects
   */
  public <T> T getStreamed(
      String path,
      Map<String, String> query,
      BodyReader<T> reader,
      Function<HttpReply, T> refused) {
    HttpUrl.Builder url = resolve(path);
    query.forEach(url::addQueryParameter);
    Request request = request(url.build()).get().build();
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      String contentType = response.header("Content-Type", "");
      if (!response.isSuccessful() || body == null || !contentType.contains("json")) {
        byte[] bytes = body == null ? new byte[0] : body.bytes();
        traffic.exchanged("GET", bytes.length);
        return refused.apply(new HttpReply("GET", path, response.code(), contentType, bytes));
      }
      CountingStream counted = new CountingStream(body.byteStream());
      try {
        return reader.read(counted);
      } catch (JsonProcessingException e) {
        throw new SlurmException.Protocol(
            "malformed JSON from GET "
                + path
                + " (HTTP "
                + response.code()
                + "): "
                + e.getOriginalMessage(),
            response.code(),
            e);
      } finally {
        traffic.exchanged("GET", counted.count);
      }
    } catch (IOException e) {
      throw unavailable("GET", path, e);
    }
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
        .header("X-SLURM-USER-TOKEN", token.get())
        .header("Accept", "application/json");
  }

  private HttpReply execute(Request request, String method, String path) {
    try (Response response = client.newCall(request).execute()) {
      ResponseBody body = response.body();
      byte[] bytes = body == null ? new byte[0] : body.bytes();
      String contentType = response.header("Content-Type", "");
      traffic.exchanged(method, bytes.length);
      return new HttpReply(method, path, response.code(), contentType, bytes);
    } catch (IOException e) {
      throw unavailable(method, path, e);
    }
  }

  private SlurmException unavailable(String method, String path, IOException cause) {
    String what;
    if (cause instanceof InterruptedIOException) {
      what = "timed out";
    } else if (cause instanceof ConnectException) {
      what = "connection refused";
    } else if (cause instanceof UnknownHostException) {
      what = "unknown host " + base.host();
    } else {
      what = cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
    return new SlurmException.Unavailable(
        "cannot reach slurmrestd at " + base + " (" + method + " " + path + "): " + what,
        0,
        List.of(),
        cause);
  }

  /** Counts what a streamed answer delivered. */
  private static final class CountingStream extends FilterInputStream {
    private long count;

    CountingStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count += n;
      }
      return n;
    }
  }
}
