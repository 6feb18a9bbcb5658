import DrugCheckModel

/// The reader for each detected format.
public enum ReaderRegistry {
    public static func reader(for format: ImportFormat) -> (any SubmissionReader)? {
        switch format {
        case .findingsCSV: FindingsCSVReader()
        case .resultsXML: ResultsXMLReader()
        case .mzML: MzMLReader()
        case .animl: AnIMLReader()
        case .labExport: LabExportReader()
        case .sampleManifest, .unknown: nil
        }
    }
}
