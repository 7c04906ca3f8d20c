using Finsam.Pipeline.Privacy;

namespace Finsam.Pipeline.Participants;

/// <summary>
/// One registration in an intervention as read and checked. Holds the identity number in memory
/// only; <see cref="Ingestion.CuratedRowMapper"/> turns it into a pseudonym before anything is written, and only the
/// exact age at the start (<see cref="AlderStart"/>) is kept of the birth date.
/// </summary>
/// <param name="AlderStart">Age in whole years on <see cref="Startdatum"/>, from the identity number's date of birth; null when anonymous.</param>
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
    string? Avslutsorsak,
    int? AlderStart);

public sealed class ParsedParticipants
{
    public List<ParsedRegistration> Registrations { get; } = [];
    public int MaskedTexts { get; set; }
}
