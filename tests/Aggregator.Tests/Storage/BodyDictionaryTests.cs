using System.Text;
using System.Text.RegularExpressions;
using Aggregator.Hosting;
using Aggregator.Storage;

namespace Aggregator.Tests.Storage;

public sealed partial class BodyDictionaryTests
{
    /// <summary>One synthetic dispatch of the bench's kind (3 KB of wire prose and page furniture) and its text.</summary>
    internal static (string Html, string Text) Dispatch(int n)
    {
        var html = SyntheticFeeds.Body(SyntheticFeeds.RandomFor(7, n % 20, n), n % 20, n, new DateTime(2026, 11, 27, 9, 30, 0, DateTimeKind.Utc));
        return (html, Tags().Replace(html, " "));
    }

    internal static byte[] Joined(int n)
    {
        var (html, text) = Dispatch(n);
        return Encoding.UTF8.GetBytes(html + text);
    }

    private static readonly Lazy<BodyDictionaryTrainer> Trained = new(Train);

    /// <summary>A trainer that has trained its dictionary on 200 dispatches (the dictionary saved nowhere).</summary>
    internal static BodyDictionaryTrainer TrainedTrainer() => Trained.Value;

    private static BodyDictionaryTrainer Train()
    {
        var trainer = new BodyDictionaryTrainer(_ => { }, samplesWanted: 200);
        for (var n = 0; n < 200; n++)
        {
            var (html, text) = Dispatch(n);
            BodyPacking.Pack(html, text, trainer);
        }

        trainer.Training.Wait();
        Assert.NotNull(trainer.Current);
        return trainer;
    }

    [Fact]
    public async Task Offer_UntilTheSamplesAreComplete_TrainsNothing()
    {
        var saved = new List<BodyDictionary>();
        var trainer = new BodyDictionaryTrainer(saved.Add, samplesWanted: 50);

        for (var n = 0; n < 49; n++)
        {
            trainer.Offer(Joined(n));
        }

        await trainer.Training;
        Assert.Null(trainer.Current);
        Assert.Empty(saved);
    }

    [Fact]
    public async Task Offer_TheLastSample_TrainsSavesAndUsesOneDictionary()
    {
        var saved = new List<BodyDictionary>();
        var trainer = new BodyDictionaryTrainer(saved.Add, samplesWanted: 50);

        for (var n = 0; n < 80; n++)
        {
            trainer.Offer(Joined(n));
        }

        await trainer.Training;
        var dictionary = Assert.Single(saved);
        Assert.Equal(dictionary.Id, trainer.Current!.Id);
        Assert.InRange(dictionary.Data.Length, 1_000, BodyDictionary.Capacity);
    }

    [Fact]
    public void Pack_WhileTheDictionaryIsTrained_WaitsForIt_RatherThanPackingByBrotli()
    {
        var trainer = new BodyDictionaryTrainer(_ => { }, samplesWanted: 60);
        for (var n = 0; n < 60; n++)
        {
            trainer.Offer(Joined(n));
        }

        var (html, text) = Dispatch(600);
        var packed = BodyPacking.Pack(html, text, trainer);

        Assert.NotNull(packed.Body);
        Assert.Equal((html, text), BodyPacking.Unpack(packed));
    }

    [Fact]
    public async Task Offer_TooFewSamplesForZstd_KeepsNoDictionary_AndSamplesTwiceAsMany()
    {
        var saved = new List<BodyDictionary>();
        var trainer = new BodyDictionaryTrainer(saved.Add, samplesWanted: 2);

        // zstd refuses to train on fewer than five samples: 2 and then 4 fail, 8 succeed.
        foreach (var count in new[] { 2, 4 })
        {
            for (var n = 0; n < count; n++)
            {
                trainer.Offer(Joined(n));
            }

            await trainer.Training;
            Assert.Null(trainer.Current);
        }

        for (var n = 0; n < 7; n++)
        {
            trainer.Offer(Joined(n));
        }

        Assert.Null(trainer.Current);
        trainer.Offer(Joined(7));
        await trainer.Training;
        Assert.NotNull(trainer.Current);
        Assert.Single(saved);
    }

    [Fact]
    public async Task Offer_WhenSavingFails_PacksWithoutTheDictionary()
    {
        var trainer = new BodyDictionaryTrainer(_ => throw new IOException("disque plein"), samplesWanted: 20);

        for (var n = 0; n < 20; n++)
        {
            trainer.Offer(Joined(n));
        }

        await trainer.Training;
        Assert.Null(trainer.Current);
        var (html, text) = Dispatch(500);
        Assert.Null(BodyPacking.Pack(html, text, trainer).Body);
    }

    [Fact]
    public async Task Offer_WhenSavingKeepsFailing_ReportsEachFailure_TheFourthAsTheLast()
    {
        var trainer = new BodyDictionaryTrainer(_ => throw new IOException("disque plein"), samplesWanted: 20);
        var reports = new List<(string Message, bool Retrying)>();
        trainer.Failed += (_, _) => throw new InvalidOperationException("a listener that throws, heard first");
        trainer.Failed += (failure, retrying) => reports.Add((failure.Message, retrying));

        // Each failure samples twice as many bodies: 20, 40, 80, then 160.
        for (var n = 0; n < 20 + 40 + 80 + 160 + 320; n++)
        {
            trainer.Offer(Joined(n));
            await trainer.Training;
        }

        Assert.Equal([("disque plein", true), ("disque plein", true), ("disque plein", true), ("disque plein", false)], reports);
        Assert.True(trainer.Training.IsCompletedSuccessfully);
        Assert.Null(trainer.Current);
    }

    [Fact]
    public async Task Offer_TinySamples_AreNotKept()
    {
        var trainer = new BodyDictionaryTrainer(_ => { }, samplesWanted: 8);

        for (var n = 0; n < 8; n++)
        {
            trainer.Offer("a"u8);
        }

        await trainer.Training;
        Assert.Same(Task.CompletedTask, trainer.Training);
    }

    [Fact]
    public void Unpack_AFrameNamingAnUnknownDictionary_SaysSo()
    {
        var trainer = TrainedTrainer();
        var frame = trainer.Current!.Pack(Joined(1));
        // Inside the frame's dictionary id, which starts at the sixth or seventh byte (RFC 8878, 3.1.1.1).
        frame[6] ^= 0x55;

        var error = Assert.Throws<InvalidDataException>(() => BodyDictionary.Unpack(frame));

        Assert.Contains("which this store does not hold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Register_AnotherDictionaryUnderATakenId_IsRefused()
    {
        var dictionary = TrainedTrainer().Current!;
        var forged = (byte[])dictionary.Data.Clone();
        forged[^1] ^= 1;

        var error = Assert.Throws<InvalidOperationException>(() => BodyDictionary.From(forged)!.Register());

        Assert.Contains($"id {dictionary.Id}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_ABodyLargerThanZstdsWindow_ReadsBack()
    {
        var trainer = TrainedTrainer();
        var html = string.Concat(Enumerable.Range(0, 1_200).Select(n => Dispatch(n).Html));

        var packed = BodyPacking.Pack(html, "texte", trainer);

        Assert.NotNull(packed.Body);
        Assert.Equal((html, "texte"), BodyPacking.Unpack(packed));
    }

    [Fact]
    public void Train_AnIdAnotherDictionaryHolds_TakesTheNextOne()
    {
        var samples = Enumerable.Range(70_000, 40).Select(Joined).ToList();
        var data = ZstdSharp.DictBuilder.TrainFromBufferFastCover(samples, BodyDictionary.TrainingParameters(), BodyDictionary.Capacity).ToArray();
        var id = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(4));
        var squatter = (byte[])data.Clone();
        squatter[^1] ^= 1;
        BodyDictionary.From(squatter)!.Register();

        var trained = BodyDictionary.Claim(data);

        Assert.Equal(id + 1, trained.Id);
        var frame = trained.Pack(Joined(70_100));
        var (rented, length) = BodyDictionary.Unpack(frame);
        Assert.Equal(Joined(70_100), rented[..length]);
    }

    [Fact]
    public async Task Train_TheSameSamplesOnSeveralThreadsAtOnce_GivesOneDictionary()
    {
        // Left to search its parameters on threads of its own, zstd's trainer gave another dictionary now and then
        // when the machine was loaded (2 of 24 trainings at once).
        var samples = Enumerable.Range(80_000, 100).Select(Joined).ToList();

        var trained = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            ZstdSharp.DictBuilder.TrainFromBufferFastCover(samples, BodyDictionary.TrainingParameters(), BodyDictionary.Capacity).ToArray())));

        Assert.All(trained, data => Assert.Equal(trained[0], data));
    }

    [Fact]
    public void Train_OnRealDispatches_PacksOthersToHalfWhatBrotliMakesOfThem()
    {
        // The tests' labelled dispatches (Xinhua, APS, MAP...): half train, the other half are packed. Measured: 49% of
        // Brotli's size either way round; a dictionary of short segments (k = 50) made 58%.
        var path = Path.Combine(AppContext.BaseDirectory, "TestData", "Deduplication", "pairs.json");
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var bodies = json.RootElement.GetProperty("dispatches").EnumerateObject()
            .Select(d => d.Value.GetProperty("text").GetString()!)
            .Select(text => BodyPacking.Joined("<p>" + System.Net.WebUtility.HtmlEncode(text).Replace("\n\n", "</p><p>", StringComparison.Ordinal) + "</p>", text))
            .ToList();

        foreach (var half in new[] { 0, 1 })
        {
            var dictionary = BodyDictionary.Train(bodies.Where((_, i) => i % 2 == half).ToList());
            var others = bodies.Where((_, i) => i % 2 != half).ToList();

            var zstd = others.Sum(body => dictionary.Pack(body).Length);
            var brotli = others.Sum(body => BrotliSize(body));

            Assert.True(zstd < brotli * 0.55, $"{zstd} bytes packed with the dictionary against {brotli} by Brotli alone");
        }
    }

    private static int BrotliSize(byte[] body)
    {
        var output = new byte[body.Length + 1024];
        Assert.True(System.IO.Compression.BrotliEncoder.TryCompress(body, output, out var written, quality: 1, window: 16));
        return written;
    }

    [Fact]
    public void From_BytesThatAreNotADictionary_IsNull() => Assert.Null(BodyDictionary.From(Encoding.UTF8.GetBytes("pas un dictionnaire")));

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();
}
