using DaseCV.Runner.Execution;
using DaseCV.Runner.Ipynb;

namespace DaseCV.Runner.Tests.Execution;

public sealed class NotebookExecutorTests
{
    public sealed class TheCellLabelsMethod
    {
        [Fact]
        public void Should_Number_The_Users_Cells_And_Not_Count_The_Injected_Parameters_Cell()
        {
            var notebook = IpynbNotebook.Parse("""
                {"cells": [
                  {"cell_type": "markdown", "source": "intro"},
                  {"cell_type": "code", "source": "int n = 1;", "metadata": {"tags": ["parameters"]}},
                  {"cell_type": "code", "source": "Console.WriteLine(n);"}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """, "p.ipynb");
            NotebookParameters.Apply(notebook, [new("n", "2")]);

            var labels = NotebookExecutor.CellLabels(notebook.Cells);

            Assert.Equal(["cell 1", "cell 2", "the injected parameters cell", "cell 3"], labels);
        }
    }
}
