package io.daskmpi.operator.slurm.http;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP response from slurmrestd, fully read.
 *
 * @param method the request method
 * @param path the request path, for messages
 * @param status the HTTP status
 * @param contentType the response's content type, or empty
 * @param body the response body (may be empty)
 */
public record HttpReply(String method, String path, int status, String contentType, byte[] body) {

  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  public boolean isJson() {
    return contentType.contains("json") || (body.length > 0 && body[0] == '{');
  }

  /** The start of a non-JSON body, for error messages. */
  public String textSnippet() {
    String text = new String(body, StandardCharsets.UTF_8).strip().replaceAll("\\s+", " ");
    return text.length() > 200 ? text.substring(0, 200) + "…" : text;
  }
}
