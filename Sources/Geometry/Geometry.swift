// Module Geometry — see README "Architecture".
