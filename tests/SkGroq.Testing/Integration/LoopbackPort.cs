using System.Net;
using System.Net.Sockets;

namespace SkGroq.Tests.Integration;

/// <summary>Loopback ports for servers the tests start, and for a host where nothing listens.</summary>
internal static class LoopbackPort
{
    /// <summary>Gets a port that was free a moment ago: nothing listens on it until a test starts a server there.</summary>
    /// <returns>The port.</returns>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
