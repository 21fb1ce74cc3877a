// What a student writes between the markers of the notebook's tuning cell, as CS231n's softmax.ipynb asks:
// a nested loop over the grid that fills results, bestVal and bestSoftmax. .ci/run splices it into a handout.
foreach (var lr in learningRates)
{
    foreach (var reg in regularizationStrengths)
    {
        var softmax = new Softmax();
        softmax.Train(XTrain, yTrain, learningRate: lr, reg: reg, numIters: numIters);
        var trainAccuracy = Accuracy(yTrain, softmax.Predict(XTrain));
        var valAccuracy = Accuracy(yVal, softmax.Predict(XVal));
        results[(lr, reg)] = (trainAccuracy, valAccuracy);
        if (valAccuracy > bestVal)
        {
            bestVal = valAccuracy;
            bestSoftmax = softmax;
        }
    }
}
