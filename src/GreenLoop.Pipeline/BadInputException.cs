namespace GreenLoop.Pipeline;

/// <summary>
/// Thrown by a service for input the user can correct (a period that is not a period, a range that ends before it
/// starts, an override without a reason); the message says what is wrong. The HTTP edge answers it with 400 in one place.
/// </summary>
public sealed class BadInputException(string message) : Exception(message);
