using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Participants;

/// <summary>
/// One registration in an intervention as read and checked. Holds the identity number in memory
/// only; <see cref="Curated.CuratedWriter"/> turns it into a pseudonym before anything is written.
/// </summary>
public sealed record ParsedRegistration(
    int Line,
    string RegistreringId,
    PersonalIdentityNumber? Person,
    bool Anonym,
    string Kon,
    int? Fodelsear,
    string? Kommun,
    string InsatsId,
    string InsatsNamn,
    string InsatsTyp,
    DateOnly Startdatum,
    DateOnly? Slutdatum,
    string? Utbildning,
    string? ForsorjningFore,
    string? ForsorjningEfter,
    string? Avslutsorsak);

public sealed class ParsedParticipants
{
    public List<ParsedRegistration> Registrations { get; } = [];
    public int MaskedTexts { get; set; }
}
