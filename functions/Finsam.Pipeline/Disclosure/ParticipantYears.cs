namespace Finsam.Pipeline.Disclosure;

/// <summary>Which years' participant counts a member release publishes (the setting <c>Finsam:Publishing:ParticipantYears</c>).</summary>
public enum ParticipantYears
{
    /// <summary>Every year's, the running year to date and its months included.</summary>
    YearToDate,

    /// <summary>
    /// A year's counts, and its months', only once the year is complete at their level (its latest month is December): until
    /// then they are suppressed (<c>ofullstandigt_ar</c> in the release's record). A year to date released every month differs
    /// from the last release by the month's count, so a month of 1 to 4 would hide the year's total in that release and, the
    /// year complete and unchanged, in every later one.
    /// </summary>
    CompleteYears,
}
