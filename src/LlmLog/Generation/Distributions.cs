namespace LlmLog.Generation;

/// <summary>The few random distributions the generator needs, all driven by a caller-owned <see cref="Random"/>.</summary>
internal static class Distributions
{
    /// <summary>Log-normal with the given median; sigma is the spread of the underlying normal.</summary>
    public static double LogNormal(Random rng, double median, double sigma) =>
        median * Math.Exp(sigma * StandardNormal(rng));

    /// <summary>Box–Muller; the second value is dropped so each draw uses a fixed two uniforms and holds no state.</summary>
    public static double StandardNormal(Random rng)
    {
        var u1 = 1.0 - rng.NextDouble();
        var u2 = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static bool Chance(Random rng, double probability) => rng.NextDouble() < probability;
}

/// <summary>A fixed menu of values picked by weight.</summary>
internal sealed class Weighted<T>
{
    private readonly T[] _values;
    private readonly double[] _cumulative;

    public Weighted(params (T Value, double Weight)[] choices)
    {
        _values = choices.Select(c => c.Value).ToArray();
        _cumulative = new double[choices.Length];
        var sum = 0.0;
        for (var i = 0; i < choices.Length; i++)
        {
            sum += choices[i].Weight;
            _cumulative[i] = sum;
        }
    }

    public T Pick(Random rng)
    {
        var target = rng.NextDouble() * _cumulative[^1];
        for (var i = 0; i < _cumulative.Length - 1; i++)
            if (target < _cumulative[i])
                return _values[i];
        return _values[^1];
    }
}
