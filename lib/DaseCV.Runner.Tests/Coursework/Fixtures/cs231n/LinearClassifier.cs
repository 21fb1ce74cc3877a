// CS231n's linear_classifier.py solution, ported the way the Python reads: only the marked regions, under the class and method
// headers that name them (StudentCopyTests and the class grading write them into a copy of the library).
namespace DaseCV.Classifiers;

public abstract class LinearClassifier
{
    public IReadOnlyList<double> Train(Matrix<double> X, int[] y, double learningRate = 1e-3, double reg = 1e-5,
        int numIters = 100, int batchSize = 200, bool verbose = false)
    {
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            // batch_indices = np.random.choice(num_train, batch_size); X_batch = X[batch_indices]; y_batch = y[batch_indices]
            var batchIndices = new int[batchSize];
            for (int b = 0; b < batchSize; b++)
                batchIndices[b] = _random.Next(numTrain);
            XBatch = X.SelectRows(batchIndices);
            yBatch = batchIndices.Select(index => y[index]).ToArray();

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

            W += -learningRate * grad;

            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }

    public int[] Predict(Matrix<double> X)
    {
        // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****

        // y_pred = np.argmax(X.dot(self.W), axis=1)
        var scores = X * W!;
        for (int i = 0; i < X.RowCount; i++)
            yPred[i] = scores.Row(i).MaximumIndex();

        // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
    }
}
