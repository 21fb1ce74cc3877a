namespace DaseCV.Grader;

internal static partial class Catalog
{
    /// <summary>
    /// The two-layer net exercise, 100 points. The student writes the forward pass, the loss, the backward pass, Train's
    /// sampling and update, Predict, and answers. Each parameter's gradient is its own check, so a slip in the second
    /// layer (say, dScores not divided by N) costs every gradient it reaches, and a slip in the ReLU's mask only W1's
    /// and b1's. The update is judged against the student's own gradients; the toy training goes through everything,
    /// as the notebook's does; the tuned accuracy retrains the hyperparameters the student chose (the notebook's choice
    /// cell, never printed output) with the student's code. The hyperparameter search's description has no 问题 number
    /// in the notebook, so it is not among the answer checks; 问题 2 carries the written part's points.
    /// </summary>
    private static IReadOnlyList<CatalogEntry> TwoLayerNet =>
    [
        Code("forward-scores", "TwoLayerNet.Loss(X)：前向传播 (scores, unseen cases)", 12, "scores equal the reference's for fresh parameters and inputs; the message names a missing ReLU or bias", "two_layer_net"),
        Code("loss", "TwoLayerNet.Loss：损失 (loss, unseen cases)", 10, "the loss equals the reference's; the message names a known slip (not divided by N, regularization)", "two_layer_net"),
        Code("gradient-W1", "TwoLayerNet.Loss：梯度 W1 (gradient of W1)", 8, "grads[\"W1\"] equals the reference's; the message names the ReLU mask, N, regularization", "two_layer_net"),
        Code("gradient-b1", "TwoLayerNet.Loss：梯度 b1 (gradient of b1)", 7, "as gradient-W1", "two_layer_net"),
        Code("gradient-W2", "TwoLayerNet.Loss：梯度 W2 (gradient of W2)", 8, "as gradient-W1", "two_layer_net"),
        Code("gradient-b2", "TwoLayerNet.Loss：梯度 b2 (gradient of b2)", 7, "as gradient-W1", "two_layer_net"),
        Code("train-step", "TwoLayerNet.Train：SGD 更新 (one SGD step)", 10, "after one step on a minibatch of identical rows, every parameter equals P − learningRate·(the student's own gradient)", "two_layer_net"),
        Code("predict", "TwoLayerNet.Predict：预测 (labels of given parameters)", 8, "argmax of the reference's scores for fresh parameters and inputs", "two_layer_net"),
        Code("toy-training", "TwoLayerNet.Train：玩具数据训练 (toy training reaches the reference's loss)", 10, "the notebook's toy net on fresh toy data, trained by the student's code: final loss within 0.05 of the reference's, and below half the first", "two_layer_net"),
        Code("tuned-accuracy", "所选超参数重新训练 (your chosen hyperparameters, retrained by your code on a fixed CIFAR-10 subset)", 10,
            "the choice cell's TwoLayerNetChoice, trained by the student's code (1000 iterations of batch 200, seed 0) on 5000 images of the seeded subset; validation accuracy on its 1000 others within 0.03 of the instructor's choice trained by the instructor's code: full, within 0.08: half", "two_layer_net"),
        Answer(2, "问题 2：已作答 (answer and explanation)", 10, "both fields hold text other than the placeholder; content graded by hand", "two_layer_net"),
    ];
}
