namespace SkGroq.Console.Chaos;

/// <summary>How one chaos request ended.</summary>
internal enum ChaosEnding
{
    /// <summary>The answer arrived whole.</summary>
    Succeeded,

    /// <summary>A typed <c>GroqException</c>.</summary>
    Failed,

    /// <summary>Some other exception: the pipeline let an untyped failure through.</summary>
    Untyped,

    /// <summary>Still running long after its bound: the watchdog cancelled it.</summary>
    Hung,
}
