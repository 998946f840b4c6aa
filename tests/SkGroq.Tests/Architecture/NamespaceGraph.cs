using Mono.Cecil;
using Mono.Cecil.Cil;

namespace SkGroq.Tests.Architecture;

/// <summary>
/// The namespace dependency graph of a compiled assembly: an edge A → B when a type of namespace A refers to a type of
/// namespace B of the same assembly — in a signature, a base type, an attribute, a local, or an instruction of a method body.
/// Nested and compiler-generated types count for the namespace of their outermost declaring type.
/// </summary>
internal sealed class NamespaceGraph
{
    private readonly Dictionary<string, SortedSet<string>> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<(string From, string To), SortedSet<string>> _witnesses = [];

    private NamespaceGraph(ModuleDefinition module)
    {
        foreach (TypeDefinition type in module.GetTypes())
        {
            string from = NamespaceOf(type);
            if (!IsOwn(from))
            {
                continue; // <Module> and compiler-generated top-level helpers.
            }

            _edges.TryAdd(from, new SortedSet<string>(StringComparer.Ordinal));
            foreach (TypeReference? referenced in ReferencesOf(type))
            {
                Add(module, type, from, referenced);
            }
        }
    }

    /// <summary>Gets the namespaces of the assembly.</summary>
    public IReadOnlyCollection<string> Namespaces => _edges.Keys;

    /// <summary>Reads the graph of the assembly that holds <paramref name="marker"/>.</summary>
    public static NamespaceGraph Of(Type marker)
    {
        using ModuleDefinition module = ModuleDefinition.ReadModule(marker.Assembly.Location);
        return new NamespaceGraph(module);
    }

    /// <summary>Gets the namespaces that <paramref name="from"/> depends on.</summary>
    public IReadOnlySet<string> DependenciesOf(string from) => _edges.TryGetValue(from, out SortedSet<string>? to) ? to : new SortedSet<string>();

    /// <summary>Gets the types of <paramref name="from"/> that refer to <paramref name="to"/>, for a readable failure.</summary>
    public IReadOnlySet<string> Witnesses(string from, string to) => _witnesses.TryGetValue((from, to), out SortedSet<string>? types) ? types : new SortedSet<string>();

    /// <summary>Gets the strongly connected components with more than one namespace (Tarjan's algorithm).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        int index = 0;
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var indices = new Dictionary<string, int>(StringComparer.Ordinal);
        var lowLinks = new Dictionary<string, int>(StringComparer.Ordinal);
        var components = new List<IReadOnlyList<string>>();

        void Visit(string node)
        {
            indices[node] = lowLinks[node] = index++;
            stack.Push(node);
            onStack.Add(node);
            foreach (string next in DependenciesOf(node))
            {
                if (!indices.TryGetValue(next, out int nextIndex))
                {
                    Visit(next);
                    lowLinks[node] = Math.Min(lowLinks[node], lowLinks[next]);
                }
                else if (onStack.Contains(next))
                {
                    lowLinks[node] = Math.Min(lowLinks[node], nextIndex);
                }
            }

            if (lowLinks[node] == indices[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (!string.Equals(member, node, StringComparison.Ordinal));

                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    components.Add(component);
                }
            }
        }

        foreach (string node in _edges.Keys.Order(StringComparer.Ordinal))
        {
            if (!indices.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }

    private void Add(ModuleDefinition module, TypeDefinition source, string from, TypeReference? referenced)
    {
        if (referenced is null)
        {
            return;
        }

        switch (referenced)
        {
            case GenericInstanceType generic:
                Add(module, source, from, generic.ElementType);
                foreach (TypeReference argument in generic.GenericArguments)
                {
                    Add(module, source, from, argument);
                }

                return;
            case TypeSpecification specification:
                Add(module, source, from, specification.ElementType);
                return;
            case GenericParameter:
                return;
        }

        if (referenced.Scope is not ModuleDefinition || referenced.Module != module)
        {
            return; // another assembly
        }

        TypeDefinition? definition = referenced.Resolve();
        if (definition is null)
        {
            return;
        }

        string to = NamespaceOf(definition);
        if (!IsOwn(to) || string.Equals(from, to, StringComparison.Ordinal))
        {
            return;
        }

        _edges[from].Add(to);
        if (!_witnesses.TryGetValue((from, to), out SortedSet<string>? witnesses))
        {
            _witnesses[(from, to)] = witnesses = new SortedSet<string>(StringComparer.Ordinal);
        }

        witnesses.Add($"{Outermost(source).Name} → {Outermost(definition).Name}");
    }

    private static IEnumerable<TypeReference?> ReferencesOf(TypeDefinition type)
    {
        yield return type.BaseType;
        foreach (InterfaceImplementation implementation in type.Interfaces)
        {
            yield return implementation.InterfaceType;
        }

        foreach (TypeReference attribute in AttributesOf(type))
        {
            yield return attribute;
        }

        foreach (FieldDefinition field in type.Fields)
        {
            yield return field.FieldType;
            foreach (TypeReference attribute in AttributesOf(field))
            {
                yield return attribute;
            }
        }

        foreach (PropertyDefinition property in type.Properties)
        {
            yield return property.PropertyType;
        }

        foreach (EventDefinition @event in type.Events)
        {
            yield return @event.EventType;
        }

        foreach (MethodDefinition method in type.Methods)
        {
            foreach (TypeReference? reference in ReferencesOf(method))
            {
                yield return reference;
            }
        }
    }

    private static IEnumerable<TypeReference?> ReferencesOf(MethodDefinition method)
    {
        yield return method.ReturnType;
        foreach (ParameterDefinition parameter in method.Parameters)
        {
            yield return parameter.ParameterType;
        }

        foreach (TypeReference attribute in AttributesOf(method))
        {
            yield return attribute;
        }

        foreach (GenericParameter parameter in method.GenericParameters)
        {
            foreach (GenericParameterConstraint constraint in parameter.Constraints)
            {
                yield return constraint.ConstraintType;
            }
        }

        if (!method.HasBody)
        {
            yield break;
        }

        foreach (VariableDefinition variable in method.Body.Variables)
        {
            yield return variable.VariableType;
        }

        foreach (Instruction instruction in method.Body.Instructions)
        {
            switch (instruction.Operand)
            {
                case TypeReference type:
                    yield return type;
                    break;
                case MethodReference called:
                    yield return called.DeclaringType;
                    yield return called.ReturnType;
                    foreach (ParameterDefinition parameter in called.Parameters)
                    {
                        yield return parameter.ParameterType;
                    }

                    if (called is GenericInstanceMethod generic)
                    {
                        foreach (TypeReference argument in generic.GenericArguments)
                        {
                            yield return argument;
                        }
                    }

                    break;
                case FieldReference field:
                    yield return field.DeclaringType;
                    yield return field.FieldType;
                    break;
            }
        }
    }

    private static IEnumerable<TypeReference> AttributesOf(ICustomAttributeProvider provider) =>
        provider.HasCustomAttributes ? provider.CustomAttributes.Select(static a => a.AttributeType) : [];

    private static TypeDefinition Outermost(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static string NamespaceOf(TypeDefinition type) => Outermost(type).Namespace;

    // Generated code (regex, options validation) lives in namespaces of its own that are not the library's structure.
    private static bool IsOwn(string ns) => ns.Length > 0 && !ns.StartsWith("__", StringComparison.Ordinal) && !ns.StartsWith("System.", StringComparison.Ordinal);
}
