import BorderModel

/// Booths and station servers by hour for the positions being planned; every other lane and
/// station keeps the scenario's schedule.
public struct HourlyPlan: Sendable, Equatable {
    public var positions: [Position]
    /// `values[p][hour]`: positions open at `positions[p]` in that hour.
    public var values: [[Int]]

    public init(positions: [Position], values: [[Int]]) {
        self.positions = positions; self.values = values
    }

    /// The scenario's own plan for these positions, hour by hour.
    public init(current config: PortConfiguration, positions: [Position], grid: HourGrid) {
        self.positions = positions
        values = positions.map { grid.hourly(HourlyPlan.schedule(of: $0, in: config)) }
    }

    public static func schedule(of p: Position, in config: PortConfiguration) -> PiecewiseConstant {
        switch p {
        case .lane(let l): return config.lanes[l].booths
        case .station(let s): return config.stations[s].servers
        }
    }

    public static func name(of p: Position, in config: PortConfiguration) -> String {
        switch p {
        case .lane(let l): return "lane \(config.lanes[l].name)"
        case .station(let s): return "station \(config.stations[s].name)"
        }
    }

    public func index(of p: Position) -> Int? { positions.firstIndex(of: p) }

    /// The model with these schedules in place (built in memory; no YAML is rewritten).
    public func applied(to config: PortConfiguration, grid: HourGrid) -> PortConfiguration {
        var c = config
        for (p, v) in zip(positions, values) {
            switch p {
            case .lane(let l): c.lanes[l].booths = grid.schedule(v)
            case .station(let s): c.stations[s].servers = grid.schedule(v)
            }
        }
        return c
    }

    /// Position-hours of this plan's positions over the measured window.
    public func positionHours(grid: HourGrid) -> Double {
        values.reduce(0) { $0 + grid.positionHours(grid.schedule($1)) }
    }
}
