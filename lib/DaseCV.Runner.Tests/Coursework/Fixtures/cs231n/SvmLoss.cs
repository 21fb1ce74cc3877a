// CS231n's linear_svm.py solution, ported the way the Python reads: only the marked regions, under the class and method
// headers that name them (StudentCopyTests and the class grading write them into a copy of the library).
namespace DaseCV.Classifiers;

public static class SvmLoss
{
    public static (double Loss, Matrix<double> Grad) Naive(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // CS231n's svm_loss_naive, with the gradient added where the loss is.
        int numClasses = W.ColumnCount;
        int numTrain = X.RowCount;
        for (int i = 0; i < numTrain; i++)
        {
            var scores = X.Row(i) * W;
            double correctClassScore = scores[y[i]];
            for (int j = 0; j < numClasses; j++)
            {
                if (j == y[i])
                    continue;
                double margin = scores[j] - correctClassScore + 1; // note delta = 1
                if (margin > 0)
                {
                    loss += margin;
                    for (int d = 0; d < X.ColumnCount; d++)
                    {
                        dW[d, j] += X[i, d];     // dW[:, j] += X[i]
                        dW[d, y[i]] -= X[i, d];  // dW[:, y[i]] -= X[i]
                    }
                }
            }
        }

        // Right now the loss is a sum over all training examples, but we want it to be an average instead so we divide by numTrain.
        loss /= numTrain;
        dW /= numTrain;

        // Add regularization to the loss.
        loss += reg * W.PointwiseMultiply(W).Enumerate().Sum();
        dW += 2 * reg * W;

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }

    public static (double Loss, Matrix<double> Grad) Vectorized(Matrix<double> W, Matrix<double> X, int[] y, double reg)
    {
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        int numTrain = X.RowCount;
        var scores = X * W;
        // correct_class_scores = scores[np.arange(num_train), y][:, np.newaxis]
        var correctClassScores = Vector<double>.Build.Dense(numTrain, i => scores[i, y[i]]);
        var margins = scores.MapIndexed((i, j, s) => Math.Max(0, s - correctClassScores[i] + 1));
        for (int i = 0; i < numTrain; i++)
            margins[i, y[i]] = 0;
        loss = margins.Enumerate().Sum() / numTrain + reg * W.PointwiseMultiply(W).Enumerate().Sum();

        // binary = margins > 0; binary[np.arange(num_train), y] = -np.sum(binary, axis=1)
        var binary = margins.Map(m => m > 0 ? 1.0 : 0.0);
        var rowSum = binary.RowSums();
        for (int i = 0; i < numTrain; i++)
            binary[i, y[i]] = -rowSum[i];
        dW = X.Transpose() * binary / numTrain + 2 * reg * W;

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }
}
