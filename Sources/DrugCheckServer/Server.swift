@_exported import DrugCheckModel
