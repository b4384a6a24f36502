package dev.ledger.db.embedded;

import java.nio.file.Path;

/** Starts the embedded server on a home and idles, so that a test can kill -9 this JVM. */
public final class EmbeddedServerMain {
  private EmbeddedServerMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]));
    System.out.println("started " + database.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
