public class Broker {
    public static void main(String[] a) throws Exception {
        var b = dev.eventsource.kafka.KafkaTestBroker.startDedicated();
        System.out.println("BOOTSTRAP " + b.bootstrapServers());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
