// CS231n's neural_net.py solution, ported the way the Python reads: only the marked regions, under the class and method
// headers that name them (StudentCopyTests and the class grading write them into a copy of the library).
namespace DaseCV.Classifiers;

public sealed class TwoLayerNet
{
    public (double Loss, Dictionary<string, Matrix<double>> Grads) Loss(Matrix<double> X, int[] y, double reg = 0.0)
    {
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // CS231n: shift, exponentiate, normalize; the data loss is the mean of −log probs[y].
        var shiftedScores = scores.Clone();
        for (int i = 0; i < N; i++)
        {
            double max = shiftedScores.Row(i).Maximum();
            for (int j = 0; j < shiftedScores.ColumnCount; j++)
                shiftedScores[i, j] -= max;
        }
        var probs = shiftedScores.PointwiseExp();
        var rowSums = probs.RowSums();
        for (int i = 0; i < N; i++)
            for (int j = 0; j < probs.ColumnCount; j++)
                probs[i, j] /= rowSums[i];
        double dataLoss = 0.0;
        for (int i = 0; i < N; i++)
            dataLoss += -Math.Log(probs[i, y[i]]);
        loss = dataLoss / N + reg * (W1.PointwiseMultiply(W1).Enumerate().Sum() + W2.PointwiseMultiply(W2).Enumerate().Sum());

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // dscores = probs; dscores[range(N), y] -= 1; dscores /= N
        var dscores = probs.Clone();
        for (int i = 0; i < N; i++)
            dscores[i, y[i]] -= 1;
        dscores /= N;
        grads["W2"] = hidden.Transpose() * dscores + 2 * reg * W2;
        grads["b2"] = Matrix<double>.Build.DenseOfRowVectors(dscores.ColumnSums());
        // Back through W2, then through the ReLU: only where the hidden unit was active.
        var dhidden = dscores * W2.Transpose();
        dhidden = dhidden.PointwiseMultiply(hidden.Map(h => h > 0 ? 1.0 : 0.0));
        grads["W1"] = X.Transpose() * dhidden + 2 * reg * W1;
        grads["b1"] = Matrix<double>.Build.DenseOfRowVectors(dhidden.ColumnSums());

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }

    public TrainingHistory Train(Matrix<double> X, int[] y, Matrix<double> XVal, int[] yVal,
        double learningRate = 1e-3, double learningRateDecay = 0.95, double reg = 5e-6, int numIters = 100,
        int batchSize = 200, bool verbose = false, IProgress<int>? progress = null)
    {
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // idx = np.random.choice(num_train, batch_size); X_batch = X[idx]; y_batch = y[idx]
            var idx = new int[batchSize];
            for (int b = 0; b < batchSize; b++)
                idx[b] = _random.RandInt(numTrain);
            XBatch = X.SelectRows(idx);
            yBatch = idx.Select(index => y[index]).ToArray();

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            Params["W1"] -= learningRate * grads["W1"];
            Params["b1"] -= learningRate * grads["b1"];
            Params["W2"] -= learningRate * grads["W2"];
            Params["b2"] -= learningRate * grads["b2"];

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }

    public int[] Predict(Matrix<double> X)
    {
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // y_pred = np.argmax(self.loss(X), axis=1)
        var scores = Loss(X);
        for (int i = 0; i < yPred.Length; i++)
            yPred[i] = scores.Row(i).MaximumIndex();

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }

    private (Matrix<double> Hidden, Matrix<double> Scores) Forward(Matrix<double> X)
    {
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // h1 = np.maximum(0, X.dot(W1) + b1); scores = h1.dot(W2) + b2
        var z1 = X * W1 + Matrix<double>.Build.Dense(X.RowCount, W1.ColumnCount, (i, j) => b1[0, j]);
        hidden = z1.PointwiseMaximum(0.0);
        scores = hidden * W2 + Matrix<double>.Build.Dense(X.RowCount, W2.ColumnCount, (i, j) => b2[0, j]);

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }
}
