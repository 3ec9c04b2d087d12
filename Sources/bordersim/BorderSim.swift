import ArgumentParser

@main
struct BorderSim: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bordersim",
        abstract: "Discrete-event simulation of border crossings: what a staffing plan and a "
            + "risk-targeting policy cost in waiting time and buy in security.",
        version: BorderSim.version,
        subcommands: [RunCommand.self, CompareCommand.self, SweepCommand.self, MergeCommand.self, SlurmCommand.self,
                      ReplayCommand.self,
                      CalibrateCommand.self,
                      StaffCommand.self,
                      InspectCommand.self, ValidateCommand.self, DemoCommand.self, SchemaCommand.self,
                      ServeCommand.self, ProbeCommand.self]
    )
    static let version = "0.3.0"
}
