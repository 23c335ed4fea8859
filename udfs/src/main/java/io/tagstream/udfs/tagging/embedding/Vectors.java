package io.tagstream.udfs.tagging.embedding;

/** The little vector arithmetic the embedding tagger needs; vectors are unit length. */
final class Vectors {
    private Vectors() {}

    static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    static float[] unit(float[] v) {
        double norm = Math.sqrt(dot(v, v));
        float[] u = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            u[i] = (float) (norm == 0 ? 0 : v[i] / norm);
        }
        return u;
    }
}
