using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cloud.Actors.Virt.Networking;

/// <summary>
/// A listening socket inside a named network namespace, made by this process: a thread of its own enters the
/// namespace (setns), creates and binds the socket, and ends. A socket keeps the namespace it was made in, so the
/// process serves it from anywhere, as Neutron's metadata proxy serves a router's namespace without a process in it.
/// </summary>
public static partial class NamespaceSocket
{
    private const int CloneNewNet = 0x40000000;

    public static Socket Listen(string ns, IPEndPoint endpoint, int backlog = 64)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var target = File.OpenHandle(Path.Combine("/run/netns", ns));
                if (setns(target.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
                    throw new VifException($"cannot enter network namespace {ns}: errno {Marshal.GetLastPInvokeError()}");
                socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                socket.Bind(endpoint);
                socket.Listen(backlog);
            }
            catch (Exception e)
            {
                socket?.Dispose();
                socket = null;
                error = e;
            }
        }) { IsBackground = true, Name = $"netns {ns}" };
        // The thread ends inside the namespace: no other work ever runs on it.
        thread.Start();
        thread.Join();
        return socket ?? throw (error as VifException ?? new VifException($"cannot listen on {endpoint} in {ns}: {error?.Message}", error));
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);
}
