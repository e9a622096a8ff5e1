public class Threads {
    public static void main(String[] args) {
        for (int i = 0; i < 100000; i++) {
            Thread t = new Thread(() -> {
                try { Thread.sleep(1000000); } catch (InterruptedException e) { }
            });
            t.setDaemon(true);
            t.start();
        }
    }
}
