package dev.parquetingest.datagen;

import dev.parquetingest.schema.ColumnType;
import dev.parquetingest.schema.Schema;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.SplittableRandom;

/** Application logs with 52 columns; see {@link Dataset#LOGS}. Not thread-safe. */
final class LogsGenerator implements Dataset.RowWriter {
  static final Schema SCHEMA = schema();

  private static final long START_MICROS =
      Instant.parse("2026-11-01T00:00:00Z").toEpochMilli() * 1000L;

  private static final String[] LEVELS = {"INFO", "DEBUG", "WARN", "ERROR", "TRACE"};
  private static final String[] SERVICES = names("svc", 20);
  private static final String[] NAMESPACES = {"default", "payments", "search", "checkout", "auth"};
  private static final String[] CLUSTERS = {"prod-eu-1", "prod-us-1", "prod-ap-1"};
  private static final String[] REGIONS = {"eu-west-1", "us-east-1", "us-west-2", "ap-south-1"};
  private static final String[] ZONES = names("zone", 12);
  private static final String[] CONTAINERS = names("container", 20);
  private static final String[] TAGS = names("v2026.11.", 10);
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD"};
  private static final String[] PATHS = {
    "/api/v1/orders/", "/api/v1/users/", "/api/v1/cart/", "/api/v2/search", "/health",
    "/api/v1/payments/", "/api/v1/products/", "/static/app.js", "/login", "/logout"
  };
  private static final int[] STATUSES = {
    200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 403, 404, 429, 500, 502, 503
  };
  private static final String[] AGENTS = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Safari/17",
    "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "PostmanRuntime/7.42.0"
  };
  private static final String[] MESSAGES = {
    "request completed",
    "request failed, retrying",
    "cache miss for key",
    "user logged in",
    "payment authorised",
    "slow query detected",
    "connection reset by peer",
    "rate limit exceeded",
    "order created",
    "token refreshed"
  };
  private static final String[] LOGGERS = names("com.example.app.Handler", 20);
  private static final String[] ENVS = {"prod", "staging", "dev"};
  private static final String[] COUNTRIES = {
    "US", "DE", "FR", "GB", "IN", "JP", "BR", "CA", "AU", "NL", "ES", "IT", "SE", "PL", "MX",
    "KR", "SG", "ZA", "AR", "CH", "BE", "AT", "NO", "DK", "FI", "IE", "PT", "NZ", "TR", "IL"
  };
  private static final String[] DEVICES = {"desktop", "mobile", "tablet"};
  private static final String[] OSES = {
    "Windows", "macOS", "Linux", "iOS", "Android", "ChromeOS", "FreeBSD", "other"
  };
  private static final String[] BROWSERS = {
    "Chrome", "Safari", "Firefox", "Edge", "Opera", "Samsung", "curl", "other"
  };
  private static final String[] REFERRERS = {
    "",
    "",
    "",
    "https://www.example.com/",
    "https://search.example.org/?q=x",
    "https://news.example.net/",
    "android-app://x"
  };
  private static final String[] CONTENT_TYPES = {
    "application/json",
    "text/html",
    "text/plain",
    "application/octet-stream",
    "image/png",
    "application/x-www-form-urlencoded"
  };
  private static final String[] TLS = {"TLSv1.3", "TLSv1.2", "none"};
  private static final String[] PROTOCOLS = {"HTTP/1.1", "HTTP/2", "HTTP/3"};
  private static final String[] ERRORS = {
    "E_TIMEOUT", "E_UPSTREAM", "E_AUTH", "E_VALIDATION", "E_INTERNAL"
  };
  private static final String[] QUEUES = names("queue", 8);
  private static final String[] TENANTS = names("tenant-", 100);
  private static final String[] FLAGS = names("flag_", 10);

  private final SplittableRandom random;
  private long micros = START_MICROS;

  LogsGenerator(SplittableRandom random) {
    this.random = random;
  }

  private static String[] names(String prefix, int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] =
          prefix
              + (prefix.endsWith(".") || prefix.endsWith("-") || prefix.endsWith("_") ? "" : "-")
              + i;
    }
    return names;
  }

  private static Schema schema() {
    Schema.Builder b = Schema.builder();
    b.required("ts", ColumnType.timestampMicros(true));
    for (String s :
        new String[] {
          "level",
          "service",
          "host",
          "pod",
          "namespace",
          "cluster",
          "region",
          "zone",
          "container",
          "image_tag",
          "trace_id",
          "span_id",
          "parent_span_id",
          "http_method",
          "http_path"
        }) {
      b.optional(s, ColumnType.string());
    }
    b.optional("http_status", ColumnType.int32());
    b.optional("latency_ms", ColumnType.float64());
    b.optional("upstream_latency_ms", ColumnType.float64());
    b.optional("bytes_sent", ColumnType.int64());
    b.optional("bytes_received", ColumnType.int64());
    b.optional("user_agent", ColumnType.string());
    b.optional("client_ip", ColumnType.string());
    b.optional("user_id", ColumnType.int64());
    for (String s :
        new String[] {
          "session_id", "request_id", "message", "logger", "thread", "env", "version", "build"
        }) {
      b.optional(s, ColumnType.string());
    }
    b.optional("cache_hit", ColumnType.booleanType());
    b.optional("retry_count", ColumnType.int32());
    b.optional("is_bot", ColumnType.booleanType());
    for (String s :
        new String[] {
          "country",
          "device",
          "os",
          "browser",
          "referrer",
          "content_type",
          "tls_version",
          "protocol",
          "error_code"
        }) {
      b.optional(s, ColumnType.string());
    }
    b.optional("db_query_ms", ColumnType.float64());
    b.optional("db_rows", ColumnType.int32());
    b.optional("queue", ColumnType.string());
    b.optional("tenant_id", ColumnType.string());
    b.optional("feature_flag", ColumnType.string());
    b.optional("sampled", ColumnType.booleanType());
    b.optional("cpu_pct", ColumnType.float64());
    b.optional("mem_mb", ColumnType.int32());
    return b.build();
  }

  @Override
  public void append(long index, StringBuilder l) {
    SplittableRandom r = random;
    micros += 1 + r.nextInt(2000);
    LocalDateTime ts =
        LocalDateTime.ofEpochSecond(
            micros / 1_000_000, (int) (micros % 1_000_000) * 1000, ZoneOffset.UTC);
    l.append(ts.toLocalDate()).append('T');
    Text.pad2(l, ts.getHour());
    l.append(':');
    Text.pad2(l, ts.getMinute());
    l.append(':');
    Text.pad2(l, ts.getSecond());
    l.append('.').append(String.format(Locale.ROOT, "%06d", micros % 1_000_000)).append('Z');
    String service = Text.pickSkewed(r, SERVICES);
    l.append(',').append(Text.pickSkewed(r, LEVELS));
    l.append(',').append(service);
    l.append(",ip-10-0-").append(r.nextInt(16)).append('-').append(r.nextInt(200));
    l.append(',').append(service).append('-');
    Text.hex(r, l, 5);
    l.append('-');
    Text.hex(r, l, 5);
    l.append(',').append(Text.pick(r, NAMESPACES));
    l.append(',').append(Text.pick(r, CLUSTERS));
    l.append(',').append(Text.pick(r, REGIONS));
    l.append(',').append(Text.pick(r, ZONES));
    l.append(',').append(Text.pick(r, CONTAINERS));
    l.append(',').append(Text.pick(r, TAGS));
    l.append(',');
    Text.hex(r, l, 32);
    l.append(',');
    Text.hex(r, l, 16);
    l.append(',');
    if (r.nextInt(3) != 0) {
      Text.hex(r, l, 16);
    }
    l.append(',').append(Text.pickSkewed(r, METHODS));
    l.append(',').append(Text.pickSkewed(r, PATHS));
    if (r.nextBoolean()) {
      l.append(r.nextInt(100_000));
    }
    int status = STATUSES[r.nextInt(STATUSES.length)];
    l.append(',').append(status);
    l.append(',').append(Math.round(r.nextDouble() * r.nextDouble() * 250_000) / 100.0);
    l.append(',').append(Math.round(r.nextDouble() * 50_000) / 100.0);
    l.append(',').append(r.nextInt(2_000_000));
    l.append(',').append(r.nextInt(50_000));
    l.append(",\"").append(Text.pickSkewed(r, AGENTS)).append('"');
    l.append(',')
        .append(r.nextInt(224))
        .append('.')
        .append(r.nextInt(256))
        .append('.')
        .append(r.nextInt(256))
        .append('.')
        .append(r.nextInt(256));
    l.append(',');
    if (r.nextInt(4) != 0) {
      l.append(1_000_000 + r.nextInt(9_000_000));
    }
    l.append(',');
    Text.hex(r, l, 24);
    l.append(',');
    Text.hex(r, l, 8);
    l.append('-');
    Text.hex(r, l, 4);
    l.append('-');
    Text.hex(r, l, 4);
    l.append('-');
    Text.hex(r, l, 12);
    String message = Text.pickSkewed(r, MESSAGES);
    if (message.indexOf(',') >= 0) {
      l.append(",\"").append(message).append('"');
    } else {
      l.append(',').append(message);
    }
    l.append(',').append(Text.pick(r, LOGGERS));
    l.append(",http-nio-8080-exec-").append(r.nextInt(64));
    l.append(',').append(Text.pickSkewed(r, ENVS));
    l.append(",1.").append(r.nextInt(4)).append('.').append(r.nextInt(20));
    l.append(',');
    Text.hex(r, l, 7);
    l.append(',').append(r.nextInt(3) == 0);
    l.append(',').append(Math.max(0, r.nextInt(10) - 7));
    l.append(',').append(r.nextInt(20) == 0);
    l.append(',').append(Text.pickSkewed(r, COUNTRIES));
    l.append(',').append(Text.pick(r, DEVICES));
    l.append(',').append(Text.pick(r, OSES));
    l.append(',').append(Text.pick(r, BROWSERS));
    l.append(',').append(Text.pick(r, REFERRERS));
    l.append(',').append(Text.pickSkewed(r, CONTENT_TYPES));
    l.append(',').append(Text.pickSkewed(r, TLS));
    l.append(',').append(Text.pick(r, PROTOCOLS));
    l.append(',');
    if (status >= 500) {
      l.append(Text.pick(r, ERRORS));
    }
    l.append(',').append(Math.round(r.nextDouble() * r.nextDouble() * 10_000) / 100.0);
    l.append(',').append(r.nextInt(1000));
    l.append(',').append(Text.pick(r, QUEUES));
    l.append(',').append(Text.pickSkewed(r, TENANTS));
    l.append(',').append(Text.pick(r, FLAGS));
    l.append(',').append(r.nextInt(100) == 0);
    l.append(',').append(Math.round(r.nextDouble() * 10_000) / 100.0);
    l.append(',').append(128 + r.nextInt(4096));
  }
}
