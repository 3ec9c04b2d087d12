// swift-tools-version:6.0
// bordersim — discrete-event simulation of border crossings.
// Layers (one direction of dependency): bordersim CLI → Experiments → BorderModel → SimKernel → CGSL;
// the CLI also uses Scenarios (YAML → model) and ResultsStore (HDF5 files, over CHDF5).
import PackageDescription

// Exclusivity is checked everywhere except the two hot-path targets, in release builds only:
// with checks, the engine's accesses to its own state cost 60 % more instructions on the land
// port (callgrind, `bench: model-landport`), far above the 5 % the project allows. Debug builds
// (and so the tests) check them everywhere.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "bordersim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "bordersim", targets: ["bordersim"]),
        .library(name: "SimKernel", targets: ["SimKernel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // `bordersim serve`: a light HTTP server on Swift concurrency and BSD sockets (no SwiftNIO: a
        // fresh clone builds it in seconds, where Hummingbird adds minutes to CI's first build).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        // C libraries, found through pkg-config (Debian: libgsl-dev, libhdf5-dev).
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: "gsl",
                       providers: [.apt(["libgsl-dev"])]),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        // GLPK has no pkg-config file on Debian: header in /usr/include, -lglpk (libglpk-dev).
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK", providers: [.apt(["libglpk-dev"])]),

        // The simulation kernel: clock, pending-event set, run loop, random streams, distributions.
        // GSL is sealed inside it: other layers ask the kernel (no gsl_rng in its public API).
        .target(name: "SimKernel", dependencies: ["CGSL"], swiftSettings: hotPath),

        // The border-crossing model: traffic, lanes and booths, targeting, secondary, staffing, metrics.
        .target(name: "BorderModel", dependencies: ["SimKernel"], swiftSettings: hotPath),

        // Scenario files: YAML with units → validated model configuration, with precise errors.
        .target(name: "Scenarios", dependencies: ["BorderModel", "SimKernel", "Yams"]),

        // Result files: a small Swift layer over the HDF5 C API and the versioned file schema.
        .target(name: "ResultsStore", dependencies: ["CHDF5"]),

        // Experiments: replications in parallel, statistics, result records, comparisons, sweeps, shards.
        .target(name: "Experiments", dependencies: ["BorderModel", "SimKernel", "ResultsStore", "Scenarios"]),

        // Planning: replay of observed data, scores against baselines, simulation-based calibration.
        .target(name: "Planning", dependencies: ["Experiments", "BorderModel", "Scenarios", "SimKernel", "ResultsStore"]),

        // Staffing: iterative staffing by simulation, shift rosters (GLPK), budget mode, plan files.
        .target(name: "Staffing", dependencies: ["Experiments", "BorderModel", "Scenarios", "SimKernel", "CGLPK", "Yams"]),

        // Small models written directly on the kernel (M/M/c): reference for tests, benchmarks, demo.
        .target(name: "KernelExamples", dependencies: ["SimKernel"]),

        // The training page (`bordersim serve`): JSON API over the scenario's replications, a bounded
        // worker pool, and the page itself (HTML/JS/CSS embedded in the binary at build time).
        .target(name: "TrainingServer",
                dependencies: ["Experiments", "BorderModel", "Scenarios", "SimKernel",
                               .product(name: "FlyingFox", package: "FlyingFox")],
                resources: [.embedInCode("Web/index.html"), .embedInCode("Web/app.js"), .embedInCode("Web/style.css")]),

        // The command-line tool.
        .executableTarget(name: "bordersim", dependencies: [
            "SimKernel", "KernelExamples", "BorderModel", "Scenarios", "Experiments", "ResultsStore", "Planning", "Staffing",
            "TrainingServer",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // Benchmarks (`make bench`): the kernel against swift-collections' Heap and C++ std::priority_queue.
        .target(name: "CppBaseline", path: "Sources/CppBaseline",
                cxxSettings: [.unsafeFlags(["-O2"])]),
        .executableTarget(name: "bordersim-bench", dependencies: [
            "SimKernel", "KernelExamples", "CppBaseline", "CGSL", "BorderModel", "Scenarios", "Experiments", "ResultsStore",
            .product(name: "HeapModule", package: "swift-collections"),
        ]),

        // Coverage-guided fuzzing (`make fuzz`, libFuzzer): the scenario loader and the result-file readers.
        .executableTarget(name: "bordersim-fuzz", dependencies: ["Scenarios", "ResultsStore"],
                          swiftSettings: [.unsafeFlags(["-parse-as-library"])]),

        .testTarget(name: "BorderModelTests", dependencies: ["BorderModel", "SimKernel", "KernelExamples", "CGSL"]),
        .testTarget(name: "ScenariosTests", dependencies: ["Scenarios", "BorderModel", "SimKernel"],
                    exclude: ["check_schema.py"], resources: [.copy("bad"), .copy("good")]),
        .testTarget(name: "ResultsStoreTests", dependencies: ["ResultsStore", "Experiments", "BorderModel", "Scenarios"]),
        .testTarget(name: "ExperimentsTests", dependencies: ["Experiments", "BorderModel", "Scenarios", "SimKernel", "ResultsStore", "CGSL"]),
        .testTarget(name: "PlanningTests", dependencies: ["Planning", "Scenarios", "BorderModel", "Experiments", "SimKernel"]),
        // The command-line tool as users run it: the built binary, from other working directories.
        .testTarget(name: "CLITests", dependencies: ["bordersim", "Scenarios", "ResultsStore", "Experiments"]),
        .testTarget(name: "StaffingTests", dependencies: ["Staffing", "BorderModel", "Experiments", "Scenarios", "SimKernel"]),
        .testTarget(name: "TrainingServerTests", dependencies: ["TrainingServer", "bordersim", "Experiments", "Scenarios"]),
        .testTarget(name: "SimKernelTests", dependencies: ["SimKernel", "KernelExamples", "CGSL", "CHDF5"]),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
