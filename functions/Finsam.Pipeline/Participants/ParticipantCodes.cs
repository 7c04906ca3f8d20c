namespace Finsam.Pipeline.Participants;

/// <summary>The code lists of the participant contract (SUS-like registrations).</summary>
public static class ParticipantCodes
{
    public static readonly string[] Header =
    [
        "registrering_id", "personnummer", "anonym", "kon", "fodelsear", "kommun", "insats_id", "insats_namn",
        "insats_typ", "startdatum", "slutdatum", "utbildning", "forsorjning_fore", "forsorjning_efter", "avslutsorsak",
    ];

    public static readonly string[] Anonym = ["ja", "nej"];
    public static readonly string[] Kon = ["K", "M"];
    public static readonly string[] InsatsTyp = ["individ", "struktur"];
    public static readonly string[] Utbildning = ["grundskola", "gymnasium", "eftergymnasial", "saknas"];

    public static readonly string[] Forsorjning =
    [
        "forsorjningsstod", "aktivitetsstod", "sjukpenning", "aktivitetsersattning", "sjukersattning",
        "a_kassa", "studiemedel", "lon", "annan", "ingen",
    ];

    public static readonly string[] Avslutsorsak =
    [
        "arbete", "arbete_med_stod", "studier", "arbetssokande", "ordinarie_insats", "fortsatt_rehabilitering",
        "ohalsa", "flytt", "annat", "felregistrering",
    ];
}
