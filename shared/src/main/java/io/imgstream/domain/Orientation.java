package io.imgstream.domain;

/**
 * EXIF orientation (TIFF tag 274): how the stored pixels must be turned to be seen upright. 1 is upright; 5–8 turn
 * by a quarter, so the displayed width is the stored height.
 */
public final class Orientation {

    public static final int UPRIGHT = 1;

    private Orientation() {
    }

    /** A value a file declares, 1 when it declares none or one outside 1–8 (a bogus tag must not turn the image). */
    public static int of(Integer declared) {
        return declared != null && declared >= 1 && declared <= 8 ? declared : UPRIGHT;
    }

    /** Whether showing the image upright swaps its width and height. */
    public static boolean swapsAxes(int orientation) {
        return orientation >= 5 && orientation <= 8;
    }
}
