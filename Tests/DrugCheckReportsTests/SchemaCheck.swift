import Foundation

/// Checks a decoded JSON document against the subset of JSON Schema (2020-12) that
/// `Schemas/weekly-report.schema.json` uses: type (incl. unions), required, properties, items,
/// enum, pattern, minimum, maximum, minItems, $ref to `#/$defs/…`, oneOf.
struct SchemaCheck {
    let root: [String: Any]

    func problems(_ value: Any, schema: [String: Any]? = nil, path: String = "$") -> [String] {
        var schema = schema ?? root
        if let ref = schema["$ref"] as? String {
            let name = String(ref.dropFirst("#/$defs/".count))
            guard let target = (root["$defs"] as? [String: Any])?[name] as? [String: Any] else { return ["\(path): unknown \(ref)"] }
            schema = target.merging(schema.filter { $0.key != "$ref" }) { a, _ in a }
        }
        var found: [String] = []
        if let options = schema["oneOf"] as? [[String: Any]] {
            let matching = options.filter { problems(value, schema: $0, path: path).isEmpty }.count
            if matching != 1 { found.append("\(path): matches \(matching) of oneOf") }
        }
        if let type = schema["type"] {
            let types = (type as? [String]) ?? [type as! String]
            if !types.contains(where: { Self.isType(value, $0) }) { return found + ["\(path): expected \(types), got \(value)"] }
        }
        if let options = schema["enum"] as? [String], !options.contains(value as? String ?? "\u{0}") {
            found.append("\(path): \(value) not in enum")
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(path): \(text) does not match \(pattern)")
        }
        if let number = value as? NSNumber, !Self.isBool(value) {
            if let minimum = schema["minimum"] as? Double, number.doubleValue < minimum { found.append("\(path): below \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number.doubleValue > maximum { found.append("\(path): above \(maximum)") }
        }
        if let object = value as? [String: Any] {
            for key in schema["required"] as? [String] ?? [] where object[key] == nil { found.append("\(path): missing \(key)") }
            for (key, sub) in schema["properties"] as? [String: Any] ?? [:] {
                if let child = object[key] { found += problems(child, schema: sub as? [String: Any], path: "\(path).\(key)") }
            }
        }
        if let array = value as? [Any] {
            if let minItems = schema["minItems"] as? Int, array.count < minItems { found.append("\(path): fewer than \(minItems) items") }
            if let items = schema["items"] as? [String: Any] {
                for (i, element) in array.enumerated() { found += problems(element, schema: items, path: "\(path)[\(i)]") }
            }
        }
        return found
    }

    static func isBool(_ value: Any) -> Bool {
        // JSONSerialization gives NSNumbers for both; booleans have the `char` type code.
        guard let number = value as? NSNumber else { return false }
        return String(cString: number.objCType) == "c"
    }

    static func isType(_ value: Any, _ type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "boolean": return isBool(value)
        case "integer": return !isBool(value) && (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return !isBool(value) && value is NSNumber
        case "string": return value is String
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }
}
