import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends the benchmark's JSON events to a topic (bench/kafka.sh): {@code java -cp <kafka-clients>
 * KafkaBenchProducer.java <bootstrap> <topic> <records>}. Deterministic: record i is the same on
 * every run. Prints the bytes sent.
 */
public final class KafkaBenchProducer {
  private static final String[] COUNTRIES = {"de", "fr", "us", "jp", "br", "in", "gb", "es"};
  private static final String[] STATUS = {"ok", "ok", "ok", "ok", "redirect", "not_found", "error"};

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("linger.ms", "20");
    p.put("batch.size", String.valueOf(512 * 1024));
    p.put("acks", "1");
    p.put("enable.idempotence", "false");
    String topic = args[1];
    long n = Long.parseLong(args[2]);
    long bytes = 0;
    long t0 = 1_764_547_200_000L;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
      StringBuilder b = new StringBuilder(256);
      for (long i = 0; i < n; i++) {
        long h = i * 0x9E3779B97F4A7C15L;
        b.setLength(0);
        b.append("{\"id\":").append(i)
            .append(",\"ts\":").append(t0 + i * 3)
            .append(",\"user\":\"user-").append(Math.floorMod(h, 50_000))
            .append("\",\"country\":\"").append(COUNTRIES[(int) Math.floorMod(h >>> 8, 8)])
            .append("\",\"status\":\"").append(STATUS[(int) Math.floorMod(h >>> 16, 7)])
            .append("\",\"duration_ms\":").append(Math.floorMod(h >>> 24, 5_000))
            .append(",\"amount\":").append(Math.floorMod(h >>> 32, 100_000) / 100.0)
            .append(",\"url\":\"/products/").append(Math.floorMod(h >>> 40, 20_000))
            .append("?ref=search\"}");
        byte[] v = b.toString().getBytes(StandardCharsets.UTF_8);
        bytes += v.length;
        producer.send(new ProducerRecord<>(topic, v));
      }
      producer.flush();
    }
    System.out.println(bytes);
  }
}
