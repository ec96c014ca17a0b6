//! Cognito's enumerations: one macro gives each its wire name (`as_str`), a strict `FromStr`,
//! `Display`, serde under the wire name, and the list of every value (`ALL`) for validation
//! messages. There is no `Unknown` variant: a value Cognito does not define is an error.

/// Declares a wire enumeration. Each variant is `Name = "WireName",`.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize,
        )]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $wire)] $variant, )+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            /// The wire name.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                }
            }
        }

        impl core::str::FromStr for $name {
            type Err = crate::Error;

            /// The value whose wire name is exactly `s` (case-sensitive).
            fn from_str(s: &str) -> core::result::Result<Self, Self::Err> {
                match s {
                    $($wire => Ok(Self::$variant),)+
                    _ => Err(crate::Error::UnknownValue { type_name: stringify!($name) }),
                }
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use wire_enum;
