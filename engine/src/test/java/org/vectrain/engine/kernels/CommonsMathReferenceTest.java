package org.vectrain.engine.kernels;

import java.util.stream.Stream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.RealMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vectrain.engine.kernels.scalar.ScalarKernels;

/**
 * The two GEMMs at the real shape against Apache Commons Math matrix products in double: a reference
 * written by other people, independent of our own loops. Same tolerance as {@link KernelNumericsTest}.
 */
class CommonsMathReferenceTest {

    static Stream<String> kinds() {
        return Stream.of("vector", "scalar");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void gemmsAgreeWithCommonsMathAtTheRealShape(String kind) {
        int classes = 10;
        int dim = 3072;
        int n = 100;
        KernelProblems.Problem p = KernelProblems.Problem.random(classes, n, dim, 2024);
        Kernels kernels = KernelProblems.kernels(kind);

        // Q: D x n, the batch's pixels as signed values; W: K x D
        double[][] q = new double[dim][n];
        double[][] absQ = new double[dim][n];
        for (int j = 0; j < n; j++) {
            for (int d = 0; d < dim; d++) {
                q[d][j] = ScalarKernels.signed(p.q()[p.rows()[j] * dim + d]);
                absQ[d][j] = Math.abs(q[d][j]);
            }
        }
        double[][] w = new double[classes][dim];
        double[][] absW = new double[classes][dim];
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                w[k][d] = p.w()[k * dim + d];
                absW[k][d] = Math.abs(w[k][d]);
            }
        }
        RealMatrix scores = new Array2DRowRealMatrix(w, false).multiply(new Array2DRowRealMatrix(q, false));
        RealMatrix scales = new Array2DRowRealMatrix(absW, false).multiply(new Array2DRowRealMatrix(absQ, false));
        float[] s = new float[classes * n];
        kernels.forwardScores(new FoldedWeights(p.w(), p.b(), classes, dim), RowSource.whole(p.q(), dim, p.rows()),
                0, n, new ScoreTile(s, 0, n));
        KernelProblems.Worst forward = new KernelProblems.Worst("forward scores vs Commons Math, " + kind);
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < n; j++) {
                forward.check(s[k * n + j], scores.getEntry(k, j) + p.b()[k],
                        scales.getEntry(k, j) + Math.abs(p.b()[k]), "k=" + k + " j=" + j);
            }
        }
        forward.assertWithin();

        // the product A = G Q^T through the gradient kernel
        double[][] g = new double[classes][n];
        double[][] absG = new double[classes][n];
        float[] gf = new float[classes * n];
        for (int k = 0; k < classes; k++) {
            for (int j = 0; j < n; j++) {
                gf[k * n + j] = (float) Math.sin(k * 31 + j) / n;
                g[k][j] = gf[k * n + j];
                absG[k][j] = Math.abs(g[k][j]);
            }
        }
        float[] a = new float[classes * dim];
        float[] gT = new float[classes * n];
        Kernels.transpose(gf, classes, n, gT);
        kernels.gradientPart(gT, classes, 0, n, RowSource.whole(p.q(), dim, p.rows()), 0, a, Columns.all(dim));
        RealMatrix product = new Array2DRowRealMatrix(g, false)
                .multiply(new Array2DRowRealMatrix(q, false).transpose());
        RealMatrix productScale = new Array2DRowRealMatrix(absG, false)
                .multiply(new Array2DRowRealMatrix(absQ, false).transpose());
        KernelProblems.Worst gradient = new KernelProblems.Worst("G Q^T vs Commons Math, " + kind);
        for (int k = 0; k < classes; k++) {
            for (int d = 0; d < dim; d++) {
                gradient.check(a[k * dim + d], product.getEntry(k, d), productScale.getEntry(k, d), "k=" + k + " d=" + d);
            }
        }
        gradient.assertWithin();
    }
}
