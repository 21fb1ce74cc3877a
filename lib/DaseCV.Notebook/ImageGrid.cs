namespace DaseCV.Notebook;

/// <summary>Lays out equally sized tiles in a grid, each with an optional title above it, as one figure.</summary>
/// <remarks>The notebook's analogue of matplotlib's <c>plt.subplot(rows, cols, i)</c> + <c>plt.title</c> + <c>plt.axis('off')</c>.</remarks>
public static class ImageGrid
{
    private const int Gap = 8;

    /// <summary>Composes <paramref name="tiles"/> row by row into a grid on a white background.</summary>
    /// <param name="tiles">Images of one size; tile k goes to row k / columns, column k % columns.</param>
    /// <param name="titles">One title per tile (empty for none), drawn above it; or null for no titles.</param>
    /// <param name="columns">Tiles per row, at least 1.</param>
    /// <param name="scale">Nearest-neighbour enlargement of every tile (a 32 px image is unreadably small).</param>
    /// <returns>The grid's pixels with a band left white above each titled row, and the titles placed over those bands.</returns>
    public static TitledImage Compose(IReadOnlyList<RgbImage> tiles, IReadOnlyList<string>? titles, int columns, int scale)
    {
        ArgumentNullException.ThrowIfNull(tiles);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(scale, 1);
        if (tiles.Count == 0) throw new ArgumentException("No tiles to lay out.", nameof(tiles));
        if (titles is not null && titles.Count != tiles.Count)
            throw new ArgumentException($"{titles.Count} titles for {tiles.Count} tiles; expected one title per tile.", nameof(titles));
        int tileWidth = tiles[0].Width, tileHeight = tiles[0].Height;
        for (int k = 1; k < tiles.Count; k++)
            if (tiles[k].Width != tileWidth || tiles[k].Height != tileHeight)
                throw new ArgumentException(
                    $"Tile {k} is {tiles[k].Width}×{tiles[k].Height} but tile 0 is {tileWidth}×{tileHeight}; tiles must share one size.",
                    nameof(tiles));

        int rows = (tiles.Count + columns - 1) / columns;
        int titleWidth = titles?.Max(TitledImage.EstimateWidth) ?? 0;
        int cellWidth = Math.Max(tileWidth * scale, titleWidth);
        int titleBand = (int)Math.Ceiling(TitledImage.FontSize * 1.3) + Gap / 2;
        var rowHasTitle = new bool[rows];
        for (int k = 0; k < tiles.Count; k++)
            rowHasTitle[k / columns] |= titles is not null && titles[k].Length > 0;

        int width = Gap + columns * (cellWidth + Gap);
        int height = Gap + Enumerable.Range(0, rows).Sum(r => (rowHasTitle[r] ? titleBand : 0) + tileHeight * scale + Gap);
        var grid = new RgbImage(width, height);
        var placed = new List<ImageTitle>();

        int top = Gap;
        for (int r = 0; r < rows; r++)
        {
            int tileTop = top + (rowHasTitle[r] ? titleBand : 0);
            for (int c = 0; c < columns && r * columns + c < tiles.Count; c++)
            {
                int k = r * columns + c;
                int cellLeft = Gap + c * (cellWidth + Gap);
                if (titles is not null && titles[k].Length > 0)
                    placed.Add(new ImageTitle(titles[k], cellLeft + cellWidth / 2.0, top + TitledImage.FontSize));
                grid.Draw(tiles[k].ScaleNearest(scale), cellLeft + (cellWidth - tileWidth * scale) / 2, tileTop);
            }
            top = tileTop + tileHeight * scale + Gap;
        }
        return new TitledImage(grid, placed);
    }
}
