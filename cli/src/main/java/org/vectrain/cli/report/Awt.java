package org.vectrain.cli.report;

/**
 * Puts AWT in headless mode before any report class touches it: plots and montages are rendered
 * off-screen, and on a machine without a display a non-headless AWT fails on first use.
 */
final class Awt {
    private Awt() {
    }

    /**
     * Sets {@code java.awt.headless=true} unless the user chose a value with {@code -D}. Must run
     * before the first AWT class initialises, so every class here calls it from its static initialiser,
     * ahead of any AWT field.
     */
    static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
