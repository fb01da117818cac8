package dev.contextmesh.neo4jlocal;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.SettingValueParsers;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.BoltConnectorInternalSettings;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.internal.helpers.HostnamePort;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.neo4j.logging.log4j.Log4jLogProvider;

/**
 * Embedded Neo4j Community with a Bolt connector on 127.0.0.1.
 *
 * <p>Protocol with the parent process (stdout, one line each):
 * {@code NEO4J_LOCAL_READY bolt://127.0.0.1:<port>}, {@code NEO4J_LOCAL_FAILED <message>},
 * {@code NEO4J_LOCAL_STOPPED}. Stops on SIGTERM/SIGINT and when stdin reaches EOF (parent died).
 *
 * <p>Options (args win over env): {@code --port N} / NEO4J_LOCAL_PORT (default 7687, 0 = free port),
 * {@code --data-dir PATH} / NEO4J_LOCAL_DATA_DIR (default .data/neo4j), {@code --pagecache SIZE} /
 * NEO4J_LOCAL_PAGECACHE (default 128m), {@code --tx-timeout DURATION} / NEO4J_LOCAL_TX_TIMEOUT
 * (default 60s). Heap is set by the launcher with -Xmx.
 */
public final class Main {
    private static final String HOST = "127.0.0.1";
    private static final long AVAILABLE_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(5);

    // The real stdout, reserved for protocol lines: anything else that writes to System.out
    // (library chatter) is redirected to stderr so the parent's line parser stays simple.
    private static final PrintStream PROTOCOL =
            new PrintStream(new FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);

    private static final AtomicBoolean stopping = new AtomicBoolean(false);
    private static final CountDownLatch stopped = new CountDownLatch(1);
    private static volatile DatabaseManagementService dbms;
    private static volatile OutputStream userLogStream;

    private Main() {}

    public static void main(String[] args) {
        System.setOut(System.err);
        // Same system properties as Neo4j's shipped neo4j.conf; must be set before Netty/log4j load.
        System.setProperty("log4j2.disable.jmx", "true");
        System.setProperty("io.netty.tryReflectionSetAccessible", "true");

        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }

        // Registered before start so a signal during start-up still shuts the store down cleanly.
        // TERM/INT get explicit handlers so a requested stop exits 0 (a bare shutdown hook exits 143/130);
        // the hook stays as a fallback for other exits (e.g. SIGHUP).
        Runtime.getRuntime().addShutdownHook(new Thread(Main::shutdown, "neo4j-local-shutdown"));
        for (String sig : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), s -> {
                    shutdown();
                    System.exit(0);
                });
            } catch (IllegalArgumentException unsupported) {
                // Signal not available on this platform; the shutdown hook still covers it.
            }
        }

        try {
            int port = start(options);
            PROTOCOL.println("NEO4J_LOCAL_READY bolt://" + HOST + ":" + port);
            PROTOCOL.flush();
        } catch (Throwable t) {
            fail(describe(t));
            return;
        }

        watchStdin();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Normal exit runs the shutdown hook, which is a no-op after shutdown() has completed.
        System.exit(0);
    }

    private static int start(Options options) throws IOException {
        Path home = options.dataDir.toAbsolutePath().normalize();
        Path logs = home.resolve("logs");
        Files.createDirectories(logs);
        // The user log (neo4j.log) goes to a file: stdout is the protocol channel and stderr should stay quiet.
        userLogStream = Files.newOutputStream(logs.resolve("neo4j.log"),
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);

        DatabaseManagementService service = new DatabaseManagementServiceBuilder(home)
                .setUserLogProvider(new Log4jLogProvider(userLogStream))
                .setConfig(GraphDatabaseSettings.logs_directory, logs)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(HOST, options.port))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(HttpConnector.enabled, false)
                .setConfig(GraphDatabaseSettings.pagecache_memory, options.pageCacheBytes)
                .setConfig(GraphDatabaseSettings.transaction_timeout, options.txTimeout)
                .setConfig(GraphDatabaseSettings.udc_enabled, false)
                // Bolt waits 5 s + 5 s for idle connections/threads on shutdown (after the stores are
                // checkpointed); a local dev/test server has no reason to linger that long.
                .setConfig(BoltConnectorInternalSettings.connection_shutdown_wait_time, Duration.ofMillis(500))
                .setConfig(BoltConnectorInternalSettings.thread_pool_shutdown_wait_time, Duration.ofMillis(500))
                .build();
        dbms = service;
        if (stopping.get()) {
            throw new IllegalStateException("stopped during start-up");
        }

        GraphDatabaseService db = service.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        if (!db.isAvailable(AVAILABLE_TIMEOUT_MS)) {
            throw new IllegalStateException("default database not available after " + AVAILABLE_TIMEOUT_MS + " ms");
        }

        // Port 0 means "any free port": the connector registers the port it actually bound.
        HostnamePort bound = ((GraphDatabaseAPI) db).getDependencyResolver()
                .resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        if (bound == null) {
            throw new IllegalStateException("Bolt connector did not register a local address");
        }
        return bound.getPort();
    }

    /** A daemon thread that stops the server when the parent closes our stdin (or dies). */
    private static void watchStdin() {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[256];
            try {
                InputStream in = System.in;
                while (in.read(buf) >= 0) {
                    // Input is ignored; only EOF matters.
                }
            } catch (IOException ignored) {
                // Treat a broken stdin like EOF.
            }
            System.err.println("neo4j-local: stdin closed, shutting down");
            shutdown();
            System.exit(0);
        }, "neo4j-local-stdin-watch");
        t.setDaemon(true);
        t.start();
    }

    /** Idempotent; the first caller shuts down, later callers wait for it. */
    private static void shutdown() {
        if (!stopping.compareAndSet(false, true)) {
            try {
                stopped.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            DatabaseManagementService service = dbms;
            if (service != null) {
                service.shutdown();
                PROTOCOL.println("NEO4J_LOCAL_STOPPED");
                PROTOCOL.flush();
            }
        } catch (Throwable t) {
            System.err.println("neo4j-local: shutdown failed: " + describe(t));
        } finally {
            OutputStream log = userLogStream;
            if (log != null) {
                try {
                    log.close();
                } catch (IOException ignored) {
                    // Nothing useful to do while exiting.
                }
            }
            stopped.countDown();
        }
    }

    private static void fail(String message) {
        PROTOCOL.println("NEO4J_LOCAL_FAILED " + message.replace('\n', ' ').replace('\r', ' '));
        PROTOCOL.flush();
        // Stop whatever part did start (shutdown hook would also do it, but be explicit).
        shutdown();
        Runtime.getRuntime().halt(1);
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (sb.length() > 0) {
                sb.append(" <- ");
            }
            sb.append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
        }
        t.printStackTrace(System.err);
        return sb.toString();
    }

    private record Options(int port, Path dataDir, long pageCacheBytes, Duration txTimeout) {
        static Options parse(String[] args) {
            String port = env("NEO4J_LOCAL_PORT", "7687");
            String dataDir = env("NEO4J_LOCAL_DATA_DIR", ".data/neo4j");
            String pageCache = env("NEO4J_LOCAL_PAGECACHE", "128m");
            String txTimeout = env("NEO4J_LOCAL_TX_TIMEOUT", "60s");
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                String value;
                String name;
                int eq = arg.indexOf('=');
                if (arg.startsWith("--") && eq > 0) {
                    name = arg.substring(0, eq);
                    value = arg.substring(eq + 1);
                } else {
                    name = arg;
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException("missing value for " + arg);
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "--port" -> port = value;
                    case "--data-dir" -> dataDir = value;
                    case "--pagecache" -> pageCache = value;
                    case "--tx-timeout" -> txTimeout = value;
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            int p;
            try {
                p = Integer.parseInt(port.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid --port " + port);
            }
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("invalid --port " + port);
            }
            long pc;
            Duration tx;
            try {
                pc = SettingValueParsers.BYTES.parse(pageCache.trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid --pagecache " + pageCache + ": " + e.getMessage());
            }
            try {
                tx = SettingValueParsers.DURATION.parse(txTimeout.trim());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid --tx-timeout " + txTimeout + ": " + e.getMessage());
            }
            return new Options(p, Path.of(dataDir), pc, tx);
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }
    }
}
