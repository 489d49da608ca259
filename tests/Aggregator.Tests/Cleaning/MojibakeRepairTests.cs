using Aggregator.Cleaning;

namespace Aggregator.Tests.Cleaning;

public class MojibakeRepairTests
{
    [Theory]
    [InlineData("bÃ¢timent", "bâtiment")]
    [InlineData("Ã\u00a0 Alger", "à Alger")]
    [InlineData("lâ€™Ã©conomie", "l’économie")]
    [InlineData("Â«Â\u00a0citationÂ\u00a0Â»", "«\u00a0citation\u00a0»")]
    [InlineData("Å“uvre", "œuvre")]
    [InlineData("PÃ‰KIN", "PÉKIN")]
    public void Repair_Utf8ReadAsWindows1252_IsRepaired(string broken, string expected)
    {
        Assert.Equal(expected, MojibakeRepair.Repair(broken));
    }

    [Fact]
    public void Repair_DoubleEncoded_IsRepairedTwice()
    {
        Assert.Equal("été", MojibakeRepair.Repair("ÃƒÂ©tÃƒÂ©"));
    }

    [Fact]
    public void Repair_MixedWithCorrectAccents_RepairsOnlyTheBrokenWords()
    {
        Assert.Equal("Le café et l’été", MojibakeRepair.Repair("Le café et lâ€™Ã©tÃ©"));
    }

    [Theory]
    [InlineData("L’été à Pékin, « déjà » vu.")]
    [InlineData("São Paulo")]
    [InlineData("Ãx n'est pas réparable")]
    [InlineData("")]
    public void Repair_CleanOrAmbiguousText_IsUnchanged(string text)
    {
        Assert.Equal(text, MojibakeRepair.Repair(text));
    }
}
