import BorderModel
import SimKernel
import Yams

/// Routes between secondary stations (`on-alarm`, `on-clear`, `while-down`).
extension ScenarioReader {
    func route(_ node: Node, _ path: KeyPath) -> Route? {
        guard let t = yaml.text(node, path) else { return nil }
        if t == "release" { return .release }
        return yaml.reference(node, path, to: "station (or release)", in: stationNames).map { .station($0) }
    }

    func whileDown(_ node: Node, _ path: KeyPath) -> Downtime.WhileDown? {
        if case .scalar(let s) = node {
            switch s.string {
            case "queue": return .queueWaits
            case "release-unscreened": return .releaseUnscreened
            default:
                yaml.error(node, path, "expected queue, release-unscreened or {divert: STATION}, found '\(s.string)'")
                return nil
            }
        }
        guard let f = yaml.fields(node, path, allowed: ["divert"], required: ["divert"]), let d = f["divert"] else { return nil }
        return yaml.reference(d, f.path("divert"), to: "station", in: stationNames).map { .divert(to: $0) }
    }
}
