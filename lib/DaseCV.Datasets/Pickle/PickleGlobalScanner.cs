using System.Buffers.Binary;
using System.Text;

namespace DaseCV.Data.Pickle;

/// <summary>
/// Walks a pickle's opcodes without executing any of them and lists the globals (module.name) it refers to,
/// so that a pickle asking for anything outside an allow-list is refused before a single object is built.
/// </summary>
/// <remarks>
/// Razorvine.Pickle turns an unregistered global into a harmless dictionary instead of failing; scanning first
/// makes an unknown global a clear error instead. Opcode argument sizes follow Python's <c>pickletools</c>.
/// </remarks>
internal static class PickleGlobalScanner
{
    /// <summary>The globals named by GLOBAL and INST opcodes, in order of appearance.</summary>
    /// <exception cref="InvalidDataException">The stream is truncated, has an unknown opcode, or uses STACK_GLOBAL.</exception>
    public static IReadOnlyList<string> ListGlobals(ReadOnlySpan<byte> pickle)
    {
        var globals = new List<string>();
        int pos = 0;
        while (true)
        {
            if (pos >= pickle.Length) throw new InvalidDataException("the pickle ends before its STOP opcode");
            byte op = pickle[pos++];
            switch (op)
            {
                case (byte)'.': // STOP
                    return globals;
                case (byte)'c': // GLOBAL module\nname\n
                case (byte)'i': // INST module\nname\n
                    string module = ReadLine(pickle, ref pos);
                    string name = ReadLine(pickle, ref pos);
                    globals.Add(module + "." + name);
                    break;
                case 0x93: // STACK_GLOBAL takes its names from the stack; only protocol 4+ writes it.
                    throw new InvalidDataException(
                        "the pickle uses STACK_GLOBAL (protocol 4 or later); this reader accepts protocols 0–3, as CIFAR-10's own files are");
                // Line arguments.
                case (byte)'F': case (byte)'I': case (byte)'L': case (byte)'P': case (byte)'S': case (byte)'V':
                case (byte)'g': case (byte)'p':
                    ReadLine(pickle, ref pos);
                    break;
                // Fixed-size arguments.
                case (byte)'K': case (byte)'h': case (byte)'q': case 0x80: case 0x82:
                    pos += 1;
                    break;
                case (byte)'M': case 0x83:
                    pos += 2;
                    break;
                case (byte)'J': case (byte)'j': case (byte)'r': case 0x84:
                    pos += 4;
                    break;
                case (byte)'G': case 0x95:
                    pos += 8;
                    break;
                // Length-prefixed arguments.
                case (byte)'U': case (byte)'C': case 0x8a: case 0x8c:
                    pos += 1 + Length(pickle, pos, 1);
                    break;
                case (byte)'T': case (byte)'X': case (byte)'B': case 0x8b:
                    pos += 4 + Length(pickle, pos, 4);
                    break;
                case 0x8d: case 0x8e: case 0x96:
                    pos += 8 + Length(pickle, pos, 8);
                    break;
                // No argument.
                case (byte)'(': case (byte)'0': case (byte)'1': case (byte)'2': case (byte)'N': case (byte)'Q':
                case (byte)'R': case (byte)'a': case (byte)'b': case (byte)'d': case (byte)'}': case (byte)'e':
                case (byte)'l': case (byte)']': case (byte)'o': case (byte)'s': case (byte)'t': case (byte)')':
                case (byte)'u': case 0x81: case 0x85: case 0x86: case 0x87: case 0x88: case 0x89: case 0x8f:
                case 0x90: case 0x91: case 0x92: case 0x94: case 0x97: case 0x98:
                    break;
                default:
                    throw new InvalidDataException($"the pickle has an unknown opcode 0x{op:x2} at byte {pos - 1}");
            }
        }
    }

    private static string ReadLine(ReadOnlySpan<byte> pickle, ref int pos)
    {
        int end = pickle[pos..].IndexOf((byte)'\n');
        if (end < 0) throw new InvalidDataException("the pickle ends inside an opcode argument");
        string line = Encoding.UTF8.GetString(pickle.Slice(pos, end));
        pos += end + 1;
        return line;
    }

    private static int Length(ReadOnlySpan<byte> pickle, int pos, int size)
    {
        if (pos + size > pickle.Length) throw new InvalidDataException("the pickle ends inside an opcode argument");
        long length = size switch
        {
            1 => pickle[pos],
            4 => BinaryPrimitives.ReadInt32LittleEndian(pickle[pos..]),
            _ => BinaryPrimitives.ReadInt64LittleEndian(pickle[pos..]),
        };
        if (length < 0 || pos + size + length > pickle.Length)
            throw new InvalidDataException("the pickle ends inside an opcode argument");
        return (int)length;
    }
}
