import java.util.*; import org.apache.kafka.clients.producer.*; import org.apache.kafka.clients.consumer.*; import org.apache.kafka.common.serialization.*; import org.apache.kafka.common.TopicPartition; import java.time.Duration;
public class OffProbe { public static void main(String[] a) throws Exception {
  String bs=System.getProperty("bs","127.0.0.1:19092");
  try (org.apache.kafka.clients.admin.Admin ad = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",bs))) { for (String t: List.of("tx1","tx2","tx3")) try { ad.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(t,1,(short)1))).all().get(); } catch (Exception e) {} }
  Properties p = new Properties(); p.put("bootstrap.servers",bs); p.put("key.serializer",StringSerializer.class.getName()); p.put("value.serializer",StringSerializer.class.getName()); p.put("transactional.id","probe-tx2"); p.put("linger.ms","1");
  Properties c = new Properties(); c.put("bootstrap.servers",bs); c.put("group.id","probe-g2"); c.put("key.deserializer",StringDeserializer.class.getName()); c.put("value.deserializer",StringDeserializer.class.getName()); c.put("isolation.level","read_committed");
  boolean offsets = Boolean.parseBoolean(System.getProperty("offsets","true"));
  try (KafkaProducer<String,String> pr = new KafkaProducer<>(p); KafkaConsumer<String,String> co = new KafkaConsumer<>(c)) {
    pr.initTransactions(); TopicPartition tp=new TopicPartition("tx3",0); co.assign(List.of(tp)); co.seekToEnd(List.of(tp)); co.position(tp);
    int n=Integer.getInteger("n",1000); long[] send=new long[n], off=new long[n], commit=new long[n], seen=new long[n];
    for (int i=0;i<n;i++) {
      long t0=System.nanoTime(); pr.beginTransaction();
      pr.send(new ProducerRecord<>("tx1","k","v")); pr.send(new ProducerRecord<>("tx2","k","v")); pr.send(new ProducerRecord<>("tx3","k","v"));
      long t1=System.nanoTime();
      if (offsets) pr.sendOffsetsToTransaction(Map.of(new TopicPartition("tx1",0), new OffsetAndMetadata(i)), co.groupMetadata());
      else pr.send(new ProducerRecord<>("tx2","offsets","tx1-0="+i));
      long t2=System.nanoTime(); pr.commitTransaction(); long t3=System.nanoTime();
      int got=0; while(got==0) got=co.poll(Duration.ofMillis(500)).count(); long t4=System.nanoTime();
      send[i]=t1-t0; off[i]=t2-t1; commit[i]=t3-t2; seen[i]=t4-t0;
    }
    int from=n/2; for (long[] d0 : List.of(send,off,commit,seen)) { long[] d=Arrays.copyOfRange(d0,from,n); Arrays.sort(d); int m=d.length; System.out.printf("p50 %.2f p90 %.2f ms; ", d[m/2]/1e6, d[m*9/10]/1e6); } System.out.println(" <- sends, offsets("+offsets+"), commit, seen");
  }
}}
