import SimKernel
import Yams

/// Reads a distribution: a bare duration (deterministic) or a single-key mapping such as
/// `{lognormal: {mean: 60s, sd: 25s}}`. Durations take units; counts (batch sizes) are numbers.
struct DistributionReader {
    enum Kind { case duration, count }
    let yaml: YAMLReader
    let kind: Kind

    static let continuousNames = ["exponential", "erlang", "gamma", "lognormal", "weibull", "normal",
                                  "truncated-normal", "uniform", "triangular", "deterministic", "beta",
                                  "empirical", "mixture"]
    static let countNames = ["poisson", "binomial", "geometric"]
    var names: [String] { kind == .count ? Self.continuousNames + Self.countNames : Self.continuousNames }

    func read(_ node: Node, _ path: KeyPath) -> Distribution? {
        if case .scalar = node {
            guard let v = value(node, path, positive: true) else { return nil }
            return make(node, path) { try .deterministic(v) }
        }
        guard case .mapping(let m) = node else {
            yaml.error(node, path, "expected a distribution such as 45s or {exponential: {mean: 45s}}, found \(YAMLReader.describe(node))")
            return nil
        }
        guard m.count == 1, let (keyNode, params) = m.first.map({ ($0.key, $0.value) }),
              let name = keyNode.scalar?.string else {
            yaml.error(node, path, "expected a single distribution name (\(names.joined(separator: ", "))), found a mapping with \(m.count) keys")
            return nil
        }
        return read(name: name, nameNode: keyNode, params: params, path.appending(name))
    }

    private func read(name: String, nameNode: Node, params: Node, _ path: KeyPath) -> Distribution? {
        func fields(_ allowed: [String], _ required: [String]) -> YAMLReader.Fields? {
            yaml.fields(params, path, allowed: allowed, required: required)
        }
        switch name {
        case "exponential":
            guard let f = fields(["mean", "rate"], []) else { return nil }
            if let m = f["mean"] { guard let mean = value(m, f.path("mean"), positive: true) else { return nil }
                return make(params, path) { try .exponential(mean: mean) } }
            if let r = f["rate"], let rate = yaml.rate(r, f.path("rate")) { return make(params, path) { try .exponential(rate: rate) } }
            if f["rate"] == nil { yaml.error(params, path, "missing required key 'mean' (or 'rate')") }
            return nil
        case "erlang":
            guard let f = fields(["k", "mean"], ["k", "mean"]), let kn = f["k"], let mn = f["mean"],
                  let k = yaml.integer(kn, f.path("k"), minimum: 1), let mean = value(mn, f.path("mean"), positive: true)
            else { return nil }
            return make(params, path) { try .erlang(k: k, mean: mean) }
        case "gamma":
            guard let f = fields(["shape", "scale"], ["shape", "scale"]), let s = f["shape"], let c = f["scale"],
                  let shape = yaml.number(s, f.path("shape"), expected: "a number > 0", valid: { $0 > 0 }),
                  let scale = value(c, f.path("scale"), positive: true) else { return nil }
            return make(params, path) { try .gamma(shape: shape, scale: scale) }
        case "lognormal":
            guard let f = fields(["mean", "sd", "mu", "sigma"], []) else { return nil }
            if f["mu"] != nil || f["sigma"] != nil {
                guard let a = f["mu"], let b = f["sigma"] else {
                    yaml.error(params, path, "expected both 'mu' and 'sigma'"); return nil
                }
                guard let mu = yaml.number(a, f.path("mu")),
                      let sigma = yaml.number(b, f.path("sigma"), expected: "a number > 0", valid: { $0 > 0 }) else { return nil }
                return make(params, path) { try .lognormal(mu: mu, sigma: sigma) }
            }
            guard let a = f["mean"], let b = f["sd"] else {
                yaml.error(params, path, "expected 'mean' and 'sd' (or 'mu' and 'sigma')"); return nil
            }
            guard let mean = value(a, f.path("mean"), positive: true), let sd = value(b, f.path("sd"), positive: true) else { return nil }
            return make(params, path) { try .lognormal(mean: mean, sd: sd) }
        case "weibull":
            guard let f = fields(["shape", "scale"], ["shape", "scale"]), let s = f["shape"], let c = f["scale"],
                  let shape = yaml.number(s, f.path("shape"), expected: "a number > 0", valid: { $0 > 0 }),
                  let scale = value(c, f.path("scale"), positive: true) else { return nil }
            return make(params, path) { try .weibull(shape: shape, scale: scale) }
        case "normal":
            guard let f = fields(["mean", "sd"], ["mean", "sd"]), let a = f["mean"], let b = f["sd"],
                  let mean = value(a, f.path("mean"), positive: false), let sd = value(b, f.path("sd"), positive: true)
            else { return nil }
            return make(params, path) { try .normal(mean: mean, sd: sd) }
        case "truncated-normal":
            guard let f = fields(["mean", "sd", "min", "max"], ["mean", "sd"]), let a = f["mean"], let b = f["sd"],
                  let mean = value(a, f.path("mean"), positive: false), let sd = value(b, f.path("sd"), positive: true)
            else { return nil }
            let lo = f["min"].map { value($0, f.path("min"), positive: false) } ?? -.infinity
            let hi = f["max"].map { value($0, f.path("max"), positive: false) } ?? .infinity
            guard let lo, let hi else { return nil }
            return make(params, path) { try .truncatedNormal(mu: mean, sigma: sd, lower: lo, upper: hi) }
        case "uniform":
            guard let f = fields(["min", "max"], ["min", "max"]), let a = f["min"], let b = f["max"],
                  let lo = value(a, f.path("min"), positive: false), let hi = value(b, f.path("max"), positive: false)
            else { return nil }
            return make(params, path) { try .uniform(min: lo, max: hi) }
        case "triangular":
            guard let f = fields(["min", "mode", "max"], ["min", "mode", "max"]), let a = f["min"], let c = f["mode"],
                  let b = f["max"], let lo = value(a, f.path("min"), positive: false),
                  let mode = value(c, f.path("mode"), positive: false), let hi = value(b, f.path("max"), positive: false)
            else { return nil }
            return make(params, path) { try .triangular(min: lo, mode: mode, max: hi) }
        case "deterministic":
            guard let v = value(params, path, positive: true) else { return nil }
            return make(params, path) { try .deterministic(v) }
        case "beta":
            guard let f = fields(["a", "b", "scale", "min", "max"], ["a", "b"]), let an = f["a"], let bn = f["b"],
                  let a = yaml.number(an, f.path("a"), expected: "a number > 0", valid: { $0 > 0 }),
                  let b = yaml.number(bn, f.path("b"), expected: "a number > 0", valid: { $0 > 0 }) else { return nil }
            var lo = 0.0, hi = 1.0
            if let s = f["scale"] { guard let v = value(s, f.path("scale"), positive: true) else { return nil }; hi = v }
            if let m = f["min"] { guard let v = value(m, f.path("min"), positive: false) else { return nil }; lo = v }
            if let m = f["max"] { guard let v = value(m, f.path("max"), positive: false) else { return nil }; hi = v }
            return make(params, path) { try .beta(alpha: a, beta: b, min: lo, max: hi) }
        case "empirical":
            return empirical(params, path)
        case "mixture":
            return mixture(params, path)
        case "poisson" where kind == .count:
            guard let f = fields(["mean"], ["mean"]), let m = f["mean"],
                  let mean = yaml.number(m, f.path("mean"), expected: "a number > 0", valid: { $0 > 0 }) else { return nil }
            return make(params, path) { try .poisson(mean: mean) }
        case "binomial" where kind == .count:
            guard let f = fields(["n", "p"], ["n", "p"]), let nn = f["n"], let pn = f["p"],
                  let n = yaml.integer(nn, f.path("n"), minimum: 1), let p = yaml.probability(pn, f.path("p")) else { return nil }
            return make(params, path) { try .binomial(n: n, p: p) }
        case "geometric" where kind == .count:
            guard let f = fields(["p"], ["p"]), let pn = f["p"], let p = yaml.probability(pn, f.path("p")) else { return nil }
            return make(params, path) { try .geometric(p: p) }
        default:
            let hint = suggestion(for: name, among: names).map { "; did you mean '\($0)'?" } ?? ""
            yaml.error(nameNode, path, "unknown distribution '\(name)'\(hint) (expected one of: \(names.joined(separator: ", ")))")
            return nil
        }
    }

    private func empirical(_ params: Node, _ path: KeyPath) -> Distribution? {
        guard let f = yaml.fields(params, path, allowed: ["samples", "cdf", "interpolate"]) else { return nil }
        var interpolate = kind == .duration
        if let i = f["interpolate"] { guard let b = yaml.bool(i, f.path("interpolate")) else { return nil }; interpolate = b }
        if let s = f["samples"] {
            guard let items = yaml.list(s, f.path("samples"), of: "values") else { return nil }
            let values = items.enumerated().compactMap { value($1, f.path("samples").index($0), positive: false) }
            guard values.count == items.count else { return nil }
            return make(params, path) {
                interpolate ? try .empiricalContinuous(samples: values) : try .empiricalDiscrete(samples: values)
            }
        }
        guard let c = f["cdf"] else {
            yaml.error(params, path, "expected 'samples' or 'cdf'")
            return nil
        }
        guard let rows = yaml.list(c, f.path("cdf"), of: "[value, cumulative probability] pairs") else { return nil }
        var xs: [Double] = [], ps: [Double] = []
        for (i, row) in rows.enumerated() {
            let p = f.path("cdf").index(i)
            guard let pair = yaml.list(row, p, of: "two items: a value and a cumulative probability") else { continue }
            guard pair.count == 2 else { yaml.error(row, p, "expected two items [value, cumulative probability], found \(pair.count)"); continue }
            if let x = value(pair[0], p.index(0), positive: false), let q = yaml.probability(pair[1], p.index(1)) {
                xs.append(x); ps.append(q)
            }
        }
        guard xs.count == rows.count else { return nil }
        return make(params, path) {
            interpolate ? try .empiricalContinuous(values: xs, cumulative: ps)
                        : try .empiricalDiscrete(values: xs, cumulative: ps)
        }
    }

    private func mixture(_ params: Node, _ path: KeyPath) -> Distribution? {
        guard let items = yaml.list(params, path, of: "components {weight: w, <distribution>: ...}") else { return nil }
        var parts: [(weight: Double, distribution: Distribution)] = []
        for (i, item) in items.enumerated() {
            let p = path.index(i)
            guard case .mapping(let m) = item, m.count == 2, let w = m["weight"] else {
                yaml.error(item, p, "expected {weight: w, <distribution>: parameters}, found \(YAMLReader.describe(item))")
                continue
            }
            guard let weight = yaml.number(w, p.appending("weight"), expected: "a weight > 0", valid: { $0 > 0 }),
                  let (k, v) = m.first(where: { $0.key.scalar?.string != "weight" }).map({ ($0.key, $0.value) }),
                  let name = k.scalar?.string,
                  let d = read(name: name, nameNode: k, params: v, p.appending(name)) else { continue }
            parts.append((weight, d))
        }
        guard parts.count == items.count else { return nil }
        return make(params, path) { try .mixture(parts) }
    }

    private func value(_ node: Node, _ path: KeyPath, positive: Bool) -> Double? {
        switch kind {
        case .duration: return yaml.duration(node, path, positive: positive)
        case .count:
            return yaml.number(node, path, expected: positive ? "a number > 0" : "a number ≥ 0",
                               valid: { positive ? $0 > 0 : $0 >= 0 })
        }
    }

    private func make(_ node: Node, _ path: KeyPath, _ build: () throws -> Distribution) -> Distribution? {
        do { return try build() } catch {
            yaml.error(node, path, "\(error)")
            return nil
        }
    }
}
