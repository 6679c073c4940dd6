using System.Diagnostics;
using System.Globalization;
using TradSys.Reporting.Data;
using TradSys.Reporting.Documents;
using TradSys.Reporting.Reports;

namespace TradSys.Engine.Benchmarks;

/// <summary>
/// `reports [ROWS...]`: renders the daily trade report (summary, chart, trades table with Latin and Arabic
/// party names) for synthetic days of ROWS trades (default 2400, about 100 pages, and 10000) and prints, per
/// size: pages, PDF bytes, wall time, bytes allocated, the managed heap after the rendering, the process's peak
/// working set and GC counts. Figures are for the lead's quiet machine (docs/benchmarks.md); nothing here asserts a time.
/// </summary>
internal static class ReportsBench
{
    public static int Run(string[] args)
    {
        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [2400, 10_000];
        var check = ReportFonts.Load();
        if (check.Fonts is null)
        {
            Console.Error.WriteLine(check.Problem);
            return 2;
        }
        using var fonts = check.Fonts;
        Render(fonts, Day(200)); // warm-up: JIT, font caches
        Console.WriteLine("rows     pages   pdf bytes      ms   allocated MB   heap after MB   peak WS MB   gen0/1/2");
        foreach (var rows in sizes)
        {
            var data = Day(rows);
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            var gc0 = GC.CollectionCount(0);
            var gc1 = GC.CollectionCount(1);
            var gc2 = GC.CollectionCount(2);
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            var (bytes, pages) = Render(fonts, data);
            watch.Stop();
            var allocatedMb = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / 1048576.0;
            var heapMb = GC.GetTotalMemory(forceFullCollection: false) / 1048576.0;
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{rows,6} {pages,8} {bytes,11:N0} {watch.ElapsedMilliseconds,7} {allocatedMb,14:F1} {heapMb,15:F1} {self.PeakWorkingSet64 / 1048576.0,12:F1}   {GC.CollectionCount(0) - gc0}/{GC.CollectionCount(1) - gc1}/{GC.CollectionCount(2) - gc2}"));
        }
        return 0;
    }

    private static (long Bytes, int Pages) Render(ReportFonts fonts, DailyTradeData data)
    {
        var page = new PageTemplate("TradSys Demo Brokerage", "SCA — Securities and Commodities Authority (UAE)", "Daily trade report",
            "Abu Dhabi Securities Exchange (XADS), benchmark day", "R-BENCH", new string('0', 64), new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero));
        using var renderer = new PdfRenderer(fonts);
        using var sink = new CountingStream();
        var pages = renderer.Render(new ReportDocument(page, DailyTradeReport.Build(data)), sink);
        return (sink.Length, pages);
    }

    private static DailyTradeData Day(int rows)
    {
        string[][] issuers =
        [
            ["FAB", "AEN000101016", "First Abu Dhabi Bank", "بنك أبوظبي الأول"],
            ["ADCB", "AEA000201011", "Abu Dhabi Commercial Bank", "بنك أبوظبي التجاري"],
            ["ADIB", "AEA000801018", "Abu Dhabi Islamic Bank", "مصرف أبوظبي الإسلامي"],
            ["ALDAR", "AEA002001013", "Aldar Properties", "الدار العقارية"],
        ];
        var buyer = new PartyInfo(1001, "Nile Growth Fund", "صندوق النيل للنمو");
        var seller = new PartyInfo(2001, "Gulf Family Office", "مكتب الخليج العائلي");
        var open = new DateTime(2026, 11, 23, 6, 0, 0, DateTimeKind.Utc);
        var trades = new List<TradeRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var issuer = issuers[i % issuers.Length];
            trades.Add(new TradeRow(i + 1, open.AddSeconds(i), issuer[0], issuer[1], issuer[2], issuer[3], 10m + (i % 50 * 0.02m), 100 + (i % 7 * 100),
                "AED", i % 2 == 0 ? buyer : seller, i % 2 == 0 ? seller : buyer, i % 3 == 0 ? "Sell" : "Buy"));
        }
        return new DailyTradeData(new VenueInfo("ADX", "XADS", "Abu Dhabi Securities Exchange", "AED", "Asia/Dubai"), new DateOnly(2026, 11, 23), trades);
    }

    /// <summary>Counts what the PDF writer writes without keeping it, so the PDF's own size does not count as memory.</summary>
    private sealed class CountingStream : Stream
    {
        private long length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
    }
}
