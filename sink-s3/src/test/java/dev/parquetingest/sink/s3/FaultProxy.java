package dev.parquetingest.sink.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small HTTP/1.1 proxy between the client under test and the S3 server that injects faults per
 * request kind: error responses (500, 503, {@code SlowDown}, 403), connection resets in the middle
 * of the request body or after the server has already acted, and delays. One request per
 * connection; every request is forwarded unchanged (so signatures still match) apart from {@code
 * Expect} and {@code Connection}. Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {
  /** What an S3 request does, told from its method and query. */
  public enum Kind {
    CREATE,
    UPLOAD_PART,
    COMPLETE,
    PUT,
    ABORT,
    HEAD,
    OTHER
  }

  enum Fault {
    /** 500 InternalError, before the server sees the request. */
    INTERNAL_ERROR,
    /** 503 ServiceUnavailable. */
    SERVICE_UNAVAILABLE,
    /** 503 SlowDown, S3's throttling. */
    SLOW_DOWN,
    /** 403 AccessDenied: not retryable. */
    ACCESS_DENIED,
    /** Reads half the body, then resets the connection; the server never sees the request. */
    RESET_MID_BODY,
    /** Forwards the request, then resets instead of answering: the server did act. */
    RESET_AFTER_FORWARD,
    /** Waits {@link #DELAY} before forwarding, and drops the request if the client gave up. */
    DELAY
  }

  static final Duration DELAY = Duration.ofMillis(2500);

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final ExecutorService pool =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "fault-proxy");
            t.setDaemon(true);
            return t;
          });
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final List<Rule> rules = new ArrayList<>();
  private final Map<Kind, Integer> seen = new EnumMap<>(Kind.class);
  private final Map<Kind, Integer> injected = new EnumMap<>(Kind.class);
  private final List<Map<String, String>> headersByRequest = new ArrayList<>();
  private final List<Kind> kinds = new ArrayList<>();

  public FaultProxy(URI target) throws IOException {
    this.target = new InetSocketAddress(target.getHost(), target.getPort());
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  /** The next {@code times} requests of this kind get the fault ({@code -1}: all of them). */
  synchronized FaultProxy inject(Kind kind, Fault fault, int times) {
    rules.add(new Rule(kind, fault, times));
    return this;
  }

  /** Requests of the kind seen so far. */
  synchronized int seen(Kind kind) {
    return seen.getOrDefault(kind, 0);
  }

  /** Faults injected so far into requests of the kind. */
  synchronized int injected(Kind kind) {
    return injected.getOrDefault(kind, 0);
  }

  /** The headers (lower-case names) of every request of the kind seen, in order. */
  public synchronized List<Map<String, String>> headers(Kind kind) {
    List<Map<String, String>> out = new ArrayList<>();
    for (int i = 0; i < kinds.size(); i++) {
      if (kinds.get(i) == kind) {
        out.add(headersByRequest.get(i));
      }
    }
    return out;
  }

  private synchronized Fault decide(Kind kind, Map<String, String> headers) {
    seen.merge(kind, 1, Integer::sum);
    kinds.add(kind);
    headersByRequest.add(headers);
    for (Rule r : rules) {
      if (r.kind == kind && r.remaining != 0) {
        if (r.remaining > 0) {
          r.remaining--;
        }
        injected.merge(kind, 1, Integer::sum);
        return r.fault;
      }
    }
    return null;
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        pool.execute(() -> handle(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void handle(Socket client) {
    try (client) {
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      String head = readHead(in);
      if (head == null) {
        return;
      }
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String method = requestLine[0];
      String requestTarget = requestLine[1];
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      if (headers.containsKey("transfer-encoding")) {
        throw new IOException("FaultProxy cannot relay chunked request bodies");
      }
      Kind kind = classify(method, requestTarget);
      Fault fault = decide(kind, headers);
      if ("100-continue".equalsIgnoreCase(headers.get("expect"))) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      if (fault == Fault.RESET_MID_BODY) {
        in.readNBytes(length / 2);
        reset(client);
        return;
      }
      byte[] body = in.readNBytes(length);
      if (fault != null) {
        switch (fault) {
          case INTERNAL_ERROR:
            error(out, 500, "InternalError", "We encountered an internal error.");
            return;
          case SERVICE_UNAVAILABLE:
            error(out, 503, "ServiceUnavailable", "Service is unable to handle request.");
            return;
          case SLOW_DOWN:
            error(out, 503, "SlowDown", "Please reduce your request rate.");
            return;
          case ACCESS_DENIED:
            error(out, 403, "AccessDenied", "Access Denied");
            return;
          case DELAY:
            Thread.sleep(DELAY.toMillis());
            if (clientGone(client)) {
              return;
            }
            break;
          default:
            break;
        }
      }
      byte[] response = forward(lines, headers, body);
      if (fault == Fault.RESET_AFTER_FORWARD) {
        reset(client);
        return;
      }
      out.write(response);
      out.flush();
    } catch (IOException e) {
      // the client went away or the test is over
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      open.remove(client);
    }
  }

  static Kind classify(String method, String requestTarget) {
    int q = requestTarget.indexOf('?');
    String query = q < 0 ? "" : requestTarget.substring(q + 1);
    boolean uploadId = query.contains("uploadId=");
    switch (method) {
      case "POST":
        if (uploadId) {
          return Kind.COMPLETE;
        }
        return query.matches("(^|.*&)uploads(=?)(&.*|$)") ? Kind.CREATE : Kind.OTHER;
      case "PUT":
        if (uploadId && query.contains("partNumber=")) {
          return Kind.UPLOAD_PART;
        }
        return Kind.PUT;
      case "DELETE":
        return uploadId ? Kind.ABORT : Kind.OTHER;
      case "HEAD":
        return Kind.HEAD;
      default:
        return Kind.OTHER;
    }
  }

  private byte[] forward(String[] lines, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Socket upstream = new Socket()) {
      upstream.connect(target, 5000);
      upstream.setSoTimeout(30_000);
      StringBuilder sb = new StringBuilder(lines[0]).append("\r\n");
      for (int i = 1; i < lines.length; i++) {
        String name = lines[i].substring(0, lines[i].indexOf(':')).trim().toLowerCase(Locale.ROOT);
        if (!name.equals("expect") && !name.equals("connection")) {
          sb.append(lines[i]).append("\r\n");
        }
      }
      sb.append("Connection: close\r\n\r\n");
      OutputStream out = upstream.getOutputStream();
      out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      byte[] response = upstream.getInputStream().readAllBytes();
      return withConnectionClose(response);
    }
  }

  /** Makes sure the client does not reuse the connection, which this proxy closes. */
  private static byte[] withConnectionClose(byte[] response) {
    String text = new String(response, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0 || text.substring(0, end).toLowerCase(Locale.ROOT).contains("\r\nconnection:")) {
      return response;
    }
    int firstLine = text.indexOf("\r\n");
    return (text.substring(0, firstLine) + "\r\nConnection: close" + text.substring(firstLine))
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static void error(OutputStream out, int status, String code, String message)
      throws IOException {
    byte[] body =
        ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
                + code
                + "</Code><Message>"
                + message
                + "</Message><RequestId>fault-proxy</RequestId></Error>")
            .getBytes(StandardCharsets.UTF_8);
    String head =
        "HTTP/1.1 "
            + status
            + " "
            + code
            + "\r\nContent-Type: application/xml\r\nContent-Length: "
            + body.length
            + "\r\nConnection: close\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static void reset(Socket socket) throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  private static boolean clientGone(Socket client) {
    try {
      client.setSoTimeout(1);
      return client.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** The request head up to the blank line, or null at end of stream. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int matched = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        return buf.size() == 0 ? null : buf.toString(StandardCharsets.ISO_8859_1);
      }
      buf.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        String s = buf.toString(StandardCharsets.ISO_8859_1);
        return s.substring(0, s.length() - 4);
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      s.close();
    }
    pool.shutdownNow();
  }

  private static final class Rule {
    final Kind kind;
    final Fault fault;
    int remaining;

    Rule(Kind kind, Fault fault, int times) {
      this.kind = kind;
      this.fault = fault;
      this.remaining = times;
    }
  }
}
