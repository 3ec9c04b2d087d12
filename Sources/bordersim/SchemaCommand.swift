import ArgumentParser
import Scenarios

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema (draft 2020-12) of scenario files, for editors.",
        discussion: """
        Point an editor's YAML support at it (e.g. `# yaml-language-server: $schema=scenario.schema.json`). \
        The schema checks keys, types and units; `bordersim validate` also checks names, profile lengths \
        and routing.
        """
    )

    func run() throws {
        print(ScenarioSchema.text, terminator: "")
    }
}
