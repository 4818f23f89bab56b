package io.tessera.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Latency against arrival rate as a PNG, drawn with Java2D: one colour per line, p95 solid and p50 dashed,
 * both axes logarithmic (the rates double from step to step, latencies span microseconds to seconds).
 */
public final class LatencyPlot {

    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 240;
    private static final int TOP = 50;
    private static final int BOTTOM = 60;
    private static final Color[] COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd)
    };

    private LatencyPlot() {}

    public static void write(String title, Map<String, List<Results.Point>> series, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        double minRate = Double.MAX_VALUE;
        double maxRate = 0;
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (List<Results.Point> points : series.values()) {
            for (Results.Point p : points) {
                minRate = Math.min(minRate, p.rate());
                maxRate = Math.max(maxRate, p.rate());
                minMs = Math.min(minMs, Math.max(0.01, p.p50()));
                maxMs = Math.max(maxMs, Math.max(p.p95(), 0.01));
            }
        }
        if (maxRate == 0) {
            minRate = 1;
            maxRate = 2;
            minMs = 1;
            maxMs = 10;
        }
        double x0 = Math.log(minRate) - 0.1;
        double x1 = Math.log(Math.max(maxRate, minRate * 2)) + 0.1;
        double y0 = Math.floor(Math.log10(minMs));
        double y1 = Math.ceil(Math.log10(maxMs * 1.01));
        if (y1 <= y0) {
            y1 = y0 + 1;
        }
        int plotWidth = WIDTH - LEFT - RIGHT;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        Axis x = new Axis(x0, x1, LEFT, LEFT + plotWidth);
        Axis y = new Axis(y0, y1, TOP + plotHeight, TOP);

        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (double decade = y0; decade <= y1; decade++) {
            int py = y.at(decade);
            g.setColor(new Color(0xdddddd));
            g.drawLine(LEFT, py, LEFT + plotWidth, py);
            g.setColor(Color.BLACK);
            g.drawString(label(Math.pow(10, decade)) + " ms", 10, py + 4);
        }
        for (List<Results.Point> points : series.values()) {
            for (Results.Point p : points) {
                int px = x.at(Math.log(p.rate()));
                g.setColor(new Color(0xeeeeee));
                g.drawLine(px, TOP, px, TOP + plotHeight);
                g.setColor(Color.BLACK);
                g.drawString(label(p.rate()), px - 10, TOP + plotHeight + 18);
            }
        }
        g.drawRect(LEFT, TOP, plotWidth, plotHeight);
        g.drawString("arrival rate (requests/s, log scale)", LEFT + plotWidth / 2 - 100, HEIGHT - 15);

        int line = 0;
        for (Map.Entry<String, List<Results.Point>> entry : series.entrySet()) {
            Color colour = COLOURS[line % COLOURS.length];
            g.setColor(colour);
            draw(g, entry.getValue(), x, y, true, new BasicStroke(2.5f));
            draw(
                    g,
                    entry.getValue(),
                    x,
                    y,
                    false,
                    new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            int ly = TOP + 20 + line * 40;
            g.setStroke(new BasicStroke(2.5f));
            g.drawLine(LEFT + plotWidth + 15, ly, LEFT + plotWidth + 40, ly);
            g.setColor(Color.BLACK);
            g.drawString(entry.getKey(), LEFT + plotWidth + 45, ly + 4);
            g.drawString("solid p95, dashed p50", LEFT + plotWidth + 45, ly + 18);
            line++;
        }
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    private static void draw(
            Graphics2D g, List<Results.Point> points, Axis x, Axis y, boolean p95, BasicStroke stroke) {
        g.setStroke(stroke);
        int[] last = null;
        for (Results.Point p : points) {
            double ms = Math.max(0.01, p95 ? p.p95() : p.p50());
            int[] at = {x.at(Math.log(p.rate())), y.at(Math.log10(ms))};
            g.fillOval(at[0] - 3, at[1] - 3, 6, 6);
            if (last != null) {
                g.drawLine(last[0], last[1], at[0], at[1]);
            }
            last = at;
        }
    }

    private static String label(double value) {
        return value >= 1
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value).replaceAll("0+$", "");
    }

    private record Axis(double from, double to, int pixelFrom, int pixelTo) {
        int at(double value) {
            return (int) Math.round(pixelFrom + (value - from) / (to - from) * (pixelTo - pixelFrom));
        }
    }
}
