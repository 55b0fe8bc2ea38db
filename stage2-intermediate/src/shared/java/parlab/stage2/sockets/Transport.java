package parlab.stage2.sockets;

/** The two ways between processes on one machine that s2e13 compares. */
public enum Transport {
    /** A Unix-domain stream socket: a file in the file system names it; the kernel copies, no network stack. */
    UNIX,
    /** TCP over the loopback interface, 127.0.0.1: the full network stack, without a wire. */
    TCP
}
