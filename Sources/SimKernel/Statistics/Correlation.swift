import CGSL

/// Correlations of paired observations (GSL's): for scoring predictions against data.
public enum Correlation {
    /// Pearson's r; NaN with fewer than 3 pairs or a constant series.
    public static func pearson(_ x: [Double], _ y: [Double]) -> Double {
        guard usable(x, y) else { return .nan }
        return gsl_stats_correlation(x, 1, y, 1, x.count)
    }

    /// Spearman's rank correlation (ties take their mean rank); NaN as for `pearson`.
    public static func spearman(_ x: [Double], _ y: [Double]) -> Double {
        guard usable(x, y) else { return .nan }
        var work = [Double](repeating: 0, count: 2 * x.count)
        return gsl_stats_spearman(x, 1, y, 1, x.count, &work)
    }

    private static func usable(_ x: [Double], _ y: [Double]) -> Bool {
        x.count == y.count && x.count > 2 && x.contains { $0 != x[0] } && y.contains { $0 != y[0] }
    }
}
