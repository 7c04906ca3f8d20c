namespace Finsam.Pipeline.Failures;

/// <summary>
/// A failure the user can fix (a setting, reference data, a model, a version that does not exist): its message says
/// what is wrong and what to do, in plain words. Every host handles it in one place: the command line prints it and
/// exits with 2, the Functions app and the local host log it without a stack trace.
/// </summary>
public abstract class FixableException(string message, Exception? inner = null) : Exception(message, inner);
