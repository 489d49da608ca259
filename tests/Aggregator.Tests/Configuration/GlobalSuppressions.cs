using System.Diagnostics.CodeAnalysis;

// Test names follow Method_Scenario_Outcome (STYLE.md); xunit needs the classes public, so CA1707 fires on them.
[assembly: SuppressMessage("Naming", "CA1707:Identifiers should not contain underscores", Justification = "Test naming convention", Scope = "namespaceanddescendants", Target = "~N:Aggregator.Tests.Configuration")]
