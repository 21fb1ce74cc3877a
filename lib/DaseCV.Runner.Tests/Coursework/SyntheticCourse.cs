using System.Text.Json.Nodes;
using DaseCV.Runner.Coursework;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Coursework;

/// <summary>A small repository with the course's layout, written into a temporary folder: two marked functions
/// (one of them in the SVM exercise), a notebook with a marked cell, an answer and outputs, and instructor-only files.</summary>
internal static class SyntheticCourse
{
    public const string LossFile = "lib/DaseCV/Classifiers/Loss.cs";

    public const string LossSource = """
        namespace DaseCV.Classifiers;

        public static class SoftmaxLoss
        {
            public static (double Loss, double[] Grad) Naive(double[] w, int n)
            {
                double loss = 0.0;
                var dW = new double[w.Length];
                //////////////////////////////////////////////
                // 需要完成的事: 计算损失和梯度。
                //////////////////////////////////////////////
                // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
                for (int i = 0; i < w.Length; i++) loss += SecretSquare(w[i]);
                loss /= n;
                // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
                return (loss, dW);
            }

            private static double SecretSquare(double v) => v * v;
        }

        public static class SvmLoss
        {
            public static double Naive(double[] w)
            {
                // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
                return w.Sum(v => Math.Max(0, v + 1.25));
                // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            }
        }
        """;

    public const string AnswerText = "*因为每个类别的概率都约为 0.1。*";

    public const string TuningSolution = "var bestSoftmax = TrainEverything(learningRates);";

    /// <summary>A second exercise's parts: LinearClassifier.Train belongs to the SVM exercise, and the softmax exercise calls it.</summary>
    public const string ClassifierFile = "lib/DaseCV/Classifiers/LinearClassifier.cs";

    public const string ClassifierSource = """
        namespace DaseCV.Classifiers;

        public abstract class LinearClassifier
        {
            public int Train()
            {
                // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
                return 6 * 7;
                // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            }
        }
        """;

    /// <summary>The SVM exercise's tuning solution in its notebook.</summary>
    public const string SvmTuningSolution = "var bestSvm = TrainEverySvm(learningRates);";

    /// <summary>The SVM exercise's notebook: a marked tuning cell (the real one's id) and one question, run and answered.</summary>
    public static IpynbNotebook SvmNotebook()
    {
        var notebook = Notebook();
        var tuning = notebook.Cells[2];
        tuning.Json["source"] = tuning.Source.Replace(TuningSolution, SvmTuningSolution).Replace("bestSoftmax", "bestSvm");
        tuning.Json["id"] = CourseLayout.Default.Find("svm").TuningCell;
        return IpynbNotebook.Parse(notebook.ToJson(), "svm.ipynb");
    }

    /// <summary>Writes the repository into a new temporary folder and returns its path.</summary>
    public static string Write()
    {
        var root = TestPaths.NewTempDirectory();
        void Put(string relative, string text)
        {
            var path = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, text);
        }

        Put("lib/DaseCV/DaseCV.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />\n");
        Put(LossFile, LossSource);
        Put("lib/DaseCV/Plain.cs", "namespace DaseCV;\npublic static class Plain { }\n");
        Put("lib/DaseCV/bin/Release/net10.0/DaseCV.dll", "not a real dll");
        Put("lib/DaseCV.Grader/Checks.cs", "// reference checks\n");
        Put("lib/DaseCV.Tests/Classifiers/LossTests.cs", "// solution tests\n");
        Put("lib/DaseCV.Tests/Data/DataTests.cs", "// shipped tests\n");
        Put("data/README.md", "data goes here\n");
        Put("data/cifar-10-batches-bin/data_batch_1.bin", "pixels");
        Put("DaseCV.slnx", """
            <Solution>
              <Folder Name="/lib/">
                <Project Path="lib/DaseCV/DaseCV.csproj" />
                <Project Path="lib/DaseCV.Grader/DaseCV.Grader.csproj" />
              </Folder>
            </Solution>

            """);
        Put(CourseLayout.Default.Find("softmax").Notebook, Notebook().ToJson());
        return root;
    }

    private static IpynbNotebook Notebook()
    {
        var tuning = IpynbCell.NewCode($"""
            double[] learningRates = [1e-7, 2e-7];
            ////////////////////////////////
            // 需要完成的事: 调整超参数。
            ////////////////////////////////
            // *****START OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            {TuningSolution}
            // *****END OF YOUR CODE (DO NOT DELETE/MODIFY THIS LINE)*****
            Console.WriteLine(bestSoftmax);
            """);
        tuning.Json["execution_count"] = 2;
        tuning.Outputs.Add(new JsonObject { ["output_type"] = "stream", ["name"] = "stdout", ["text"] = "trained\n" });
        var first = IpynbCell.NewCode("Console.WriteLine(1);");
        first.Json["execution_count"] = 1;
        var root = new JsonObject
        {
            ["cells"] = new JsonArray(
                first.Json,
                new JsonObject
                {
                    ["cell_type"] = "markdown", ["id"] = "answer1", ["metadata"] = new JsonObject { ["tags"] = new JsonArray("pdf-inline") },
                    ["source"] = $"**问题 1**\n\n为什么？\n\n$\\color{{blue}}{{\\textit 答:}}$ {AnswerText}",
                },
                tuning.Json),
            ["metadata"] = new JsonObject { ["dasecv_runner"] = new JsonObject { ["status"] = "succeeded" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        // Parsed from text, as a file would be: the schema check reads JSON as loaded.
        return IpynbNotebook.Parse(root.ToJsonString(), "softmax.ipynb");
    }
}
