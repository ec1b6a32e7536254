package io.daskmpi.operator.access;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The access API's answers on the wire: HTTP/1.1 heads with {@code Connection: close} (each
 * connection carries one request), error bodies as one line of text.
 */
final class Replies {
  private Replies() {}

  static void error(OutputStream out, int status, String message) throws IOException {
    byte[] body = (message + "\n").getBytes(StandardCharsets.UTF_8);
    head(out, status, "text/plain; charset=utf-8", body.length);
    out.write(body);
    out.flush();
  }

  /** The head of a text body that runs until the connection closes. */
  static void streamHead(OutputStream out) throws IOException {
    head(out, 200, "text/plain; charset=utf-8", -1);
  }

  static void switchingToTunnel(OutputStream out) throws IOException {
    out.write(
        ("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: "
                + AccessServer.TUNNEL_PROTOCOL
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static void head(OutputStream out, int status, String type, long length)
      throws IOException {
    StringBuilder h = new StringBuilder();
    h.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    h.append("Content-Type: ").append(type).append("\r\n");
    if (length >= 0) {
      h.append("Content-Length: ").append(length).append("\r\n");
    }
    if (status == 401) {
      h.append("WWW-Authenticate: Bearer realm=\"dask-mpi-operator\"\r\n");
    }
    h.append("Cache-Control: no-store\r\nConnection: close\r\n\r\n");
    out.write(h.toString().getBytes(StandardCharsets.US_ASCII));
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 426 -> "Upgrade Required";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      default -> "Error";
    };
  }
}
