package io.v2store.it;

/**
 * Chooses what the differential tests compare with the real etcd: our server once its entry
 * point exists, else a second real etcd (so the harness itself is exercised and must report no
 * difference). {@code -Dit.candidate=etcd|ours} forces the choice.
 */
final class Candidates {

    private Candidates() {
    }

    static ServerUnderTest start(String name, String token) {
        String forced = System.getProperty("it.candidate", "");
        boolean ours = switch (forced) {
            case "ours" -> true;
            case "etcd" -> false;
            case "" -> OurServer.available();
            default -> throw new IllegalArgumentException("it.candidate must be etcd or ours: " + forced);
        };
        if (ours) {
            return OurServer.start(name, token);
        }
        System.out.println("[it] " + OurServer.MAIN_CLASS + " is not on the class path: comparing etcd with etcd");
        return RealEtcd.start(name, token);
    }
}
