import BorderModel
import SimKernel
import Yams

/// The `what-if:` knobs that researchers sweep on an existing scenario: multipliers on every
/// class's arrival rate, every service time, every lane's booths and every station's servers
/// (plus per-lane `extra-booths` and per-station `extra-servers`). They are applied as the model
/// is read, so everything after — the capacity check, the run, the resolved text's meaning — sees
/// the adjusted model.
struct WhatIf {
    var arrivalRate = 1.0
    var serviceTime = 1.0
    var booths = 1.0
    var servers = 1.0
    /// Where each knob was given, for messages about what it cannot apply to.
    var nodes: [String: Node] = [:]
    var path = KeyPath(components: ["what-if"])

    static let keys = ["arrival-rate", "service-time", "booths", "servers"]

    /// A schedule of counts after a multiplier and an offset: each value m·v rounded to the
    /// nearest whole number (halves away from zero), plus `extra`, clipped at 0.
    static func adjust(_ schedule: PiecewiseConstant, multiplier: Double, extra: Int) -> PiecewiseConstant {
        if multiplier == 1 && extra == 0 { return schedule }
        let values = schedule.values.map { Swift.max(0, ($0 * multiplier).rounded() + Double(extra)) }
        return (try? PiecewiseConstant(times: schedule.times, values: values, period: schedule.period)) ?? schedule
    }
}

extension ScenarioReader {
    func readWhatIf(_ node: Node, _ path: KeyPath) -> WhatIf {
        var w = WhatIf()
        w.path = path
        guard let f = yaml.fields(node, path, allowed: WhatIf.keys) else { return w }
        for key in WhatIf.keys {
            guard let n = f[key] else { continue }
            w.nodes[key] = n
            guard let v = yaml.multiplier(n, f.path(key), zeroAllowed: key == "booths" || key == "servers") else { continue }
            switch key {
            case "arrival-rate": w.arrivalRate = v
            case "service-time": w.serviceTime = v
            case "booths": w.booths = v
            default: w.servers = v
            }
        }
        return w
    }

    /// A service-time distribution under `what-if.service-time`; nil (with an error) if scaling
    /// overflows a parameter.
    func whatIfService(_ d: Distribution, for what: String) -> Distribution? {
        let c = whatIf.serviceTime
        if c == 1 { return d }
        do { return try d.scaled(by: c) } catch {
            yaml.error(whatIf.nodes["service-time"], whatIf.path.appending("service-time"),
                       "cannot scale the service time of \(what): \(error)")
            return nil
        }
    }

    /// A class's arrivals under `what-if.arrival-rate`. Timetables, traces and batch timetables
    /// have fixed times: any factor but 1 is an error naming the class.
    func whatIfArrivals(_ a: ArrivalProcess, ofClass name: String) -> ArrivalProcess? {
        let c = whatIf.arrivalRate
        if c == 1 { return a }
        func refuse(_ why: String) -> ArrivalProcess? {
            yaml.error(whatIf.nodes["arrival-rate"], whatIf.path.appending("arrival-rate"),
                       "cannot scale the arrivals of class '\(name)': \(why)")
            return nil
        }
        func fixed(_ form: String) -> ArrivalProcess? {
            refuse("\(form) has fixed times (only poisson, profile and batches with 'every' scale; use 1 here)")
        }
        func scale(_ a: ArrivalProcess) -> ArrivalProcess? {
            switch a {
            case .poisson(let rate):
                return .poisson(rate: rate * c)
            case .profile(let p):
                guard let scaled = try? PiecewiseConstant(times: p.times, values: p.values.map { $0 * c }, period: p.period)
                else { return refuse("its profile would overflow") }
                return .profile(scaled)
            case .batches(var b):
                switch b.times {
                case .process(let inner):
                    guard let scaled = scale(inner) else { return nil }
                    b.times = .process(scaled)
                    return .batches(b)
                case .timetable: return fixed("a batch timetable")
                }
            case .timetable: return fixed("a timetable")
            case .trace: return fixed("a trace")
            }
        }
        return scale(a)
    }
}
